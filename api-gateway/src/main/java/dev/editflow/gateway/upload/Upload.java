package dev.editflow.gateway.upload;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An upload a user announced; its bytes are in our bucket under {@code objectKey} once PUT. {@code
 * checkedAt} is when its bytes first passed {@link UploadChecks}, null until then.
 */
public record Upload(
    String id,
    String ownerId,
    String objectKey,
    String contentType,
    long contentLength,
    @Nullable String fileName,
    Instant createdAt,
    Instant expiresAt,
    @Nullable Instant checkedAt) {}
