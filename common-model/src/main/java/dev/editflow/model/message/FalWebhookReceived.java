package dev.editflow.model.message;

import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * fal called our webhook for a request of this job and its Ed25519 signature verified. With {@code
 * images} or {@code failure} (what the verified payload says the request came to) the worker
 * completes the job from it; with neither (fal could not send the payload, or an older gateway) the
 * worker looks at the request now instead of waiting for its next poll.
 *
 * @param attempt the attempt named in the webhook URL; lets the worker adopt a request whose id it
 *     never recorded (a crash right after submitting)
 * @param images the request's output images, when it succeeded
 * @param failure the model's failure, when it failed
 */
public record FalWebhookReceived(
    EditJobId jobId,
    String falRequestId,
    Instant receivedAt,
    @Nullable Integer attempt,
    @Nullable List<GeneratedImage> images,
    @Nullable Failure failure)
    implements EditMessage {

  /** A webhook that says only that the request finished. */
  public FalWebhookReceived(
      EditJobId jobId, String falRequestId, Instant receivedAt, @Nullable Integer attempt) {
    this(jobId, falRequestId, receivedAt, attempt, null, null);
  }

  /**
   * @param code the stable code a failed result call would have given
   * @param detail for operators; never shown to users
   */
  public record Failure(ErrorCode code, String detail) {}
}
