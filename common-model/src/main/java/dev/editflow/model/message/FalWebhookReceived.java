package dev.editflow.model.message;

import dev.editflow.model.EditJobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * fal called our webhook for a request of this job and its Ed25519 signature verified; the worker
 * should look at the request now instead of waiting for its next poll.
 *
 * @param attempt the attempt named in the webhook URL; lets the worker adopt a request whose id it
 *     never recorded (a crash right after submitting)
 */
public record FalWebhookReceived(
    EditJobId jobId, String falRequestId, Instant receivedAt, @Nullable Integer attempt)
    implements EditMessage {}
