/**
 * SSRF-safe outbound HTTP, following the OWASP SSRF prevention cheat sheet: {@link
 * dev.editflow.safehttp.OutboundPolicy} decides which URLs and resolved addresses may be called
 * (one policy for fal's media host and clients' webhook receivers, at submit time and when the call
 * is made), and {@link dev.editflow.safehttp.PinnedHttp} makes one HTTP/1.1 exchange with an
 * address that passed those checks, never resolving again and never following a redirect.
 */
@NullMarked
package dev.editflow.safehttp;

import org.jspecify.annotations.NullMarked;
