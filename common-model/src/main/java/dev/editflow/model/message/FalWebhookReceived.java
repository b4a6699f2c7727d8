package dev.editflow.model.message;

import dev.editflow.model.EditJobId;
import java.time.Instant;

/**
 * fal called our webhook for a request of this job and its Ed25519 signature verified; the worker
 * should look at the request now instead of waiting for its next poll.
 */
public record FalWebhookReceived(EditJobId jobId, String falRequestId, Instant receivedAt)
    implements EditMessage {}
