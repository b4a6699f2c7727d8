package dev.editflow.jobs.webhook;

import dev.editflow.model.EditJobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A client webhook delivery as stored, for the people who look at it (its owner, operators).
 *
 * @param status {@code PENDING}, {@code DELIVERED} or {@code FAILED} (given up)
 * @param nextAttemptAt when the next attempt is due while {@code PENDING}
 */
public record DeliveryRecord(
    String id,
    EditJobId jobId,
    String ownerId,
    String url,
    String eventType,
    String status,
    int attempts,
    @Nullable Integer lastHttpStatus,
    @Nullable String lastError,
    Instant createdAt,
    @Nullable Instant nextAttemptAt,
    @Nullable Instant finishedAt) {}
