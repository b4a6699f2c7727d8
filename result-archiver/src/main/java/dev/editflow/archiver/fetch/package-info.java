/**
 * Downloads of output images from fal's media host over the SSRF-safe client of {@code safe-http}:
 * an allow-list of hosts, https only, one DNS resolution per hop with every address checked and the
 * connection pinned to a checked address, redirects followed by hand and re-checked, timeouts and
 * size limits.
 */
@NullMarked
package dev.editflow.archiver.fetch;

import org.jspecify.annotations.NullMarked;
