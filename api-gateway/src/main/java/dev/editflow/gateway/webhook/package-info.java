/**
 * Webhooks: fal's, verified and forwarded to the worker; and clients' webhook URLs, refused at
 * submit when the result-archiver would never call them.
 */
@NullMarked
package dev.editflow.gateway.webhook;

import org.jspecify.annotations.NullMarked;
