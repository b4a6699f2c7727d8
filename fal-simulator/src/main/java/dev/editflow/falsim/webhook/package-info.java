/**
 * Ed25519-signed webhook delivery with retries, and the JWKS that publishes the verification key.
 */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.webhook;
