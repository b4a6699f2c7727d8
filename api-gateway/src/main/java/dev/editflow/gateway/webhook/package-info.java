/** fal webhooks: verified, then forwarded to the worker. */
@NullMarked
package dev.editflow.gateway.webhook;

import org.jspecify.annotations.NullMarked;
