package dev.editflow.gateway.webhook;

import dev.editflow.jobs.webhook.DeliveryRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A client webhook delivery as its owner and operators see it. */
@Schema(name = "WebhookDelivery")
public record DeliveryView(
    @Schema(description = "The webhook-id header: the same on every attempt and re-send") String id,
    String jobId,
    String url,
    @Schema(example = "edit.succeeded") String eventType,
    @Schema(allowableValues = {"PENDING", "DELIVERED", "FAILED"}) String status,
    @Schema(description = "Attempts since it was created or last re-sent") int attempts,
    @Nullable Integer lastHttpStatus,
    @Schema(description = "Why the last attempt failed") @Nullable String lastError,
    Instant createdAt,
    @Schema(description = "When the next attempt is due, while PENDING")
        @Nullable Instant nextAttemptAt,
    @Nullable Instant finishedAt) {

  public static DeliveryView of(DeliveryRecord record) {
    return new DeliveryView(
        record.id(),
        record.jobId().value(),
        record.url(),
        record.eventType(),
        record.status(),
        record.attempts(),
        record.lastHttpStatus(),
        record.lastError(),
        record.createdAt(),
        record.nextAttemptAt(),
        record.finishedAt());
  }
}
