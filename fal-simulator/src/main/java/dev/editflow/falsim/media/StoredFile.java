package dev.editflow.falsim.media;

import java.nio.file.Path;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An output file on disk.
 *
 * @param token the unguessable first path segment of its URL
 * @param name its file name (second path segment)
 * @param contentType MIME type of what was actually written
 * @param path where it lies on disk
 * @param size its size in bytes
 * @param expiresAt when it stops being served; null never
 */
public record StoredFile(
    String token,
    String name,
    String contentType,
    Path path,
    long size,
    @Nullable Instant expiresAt) {

  boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
