package dev.editflow.model.message;

import dev.editflow.model.EditJobId;
import java.time.Instant;

/**
 * A job was accepted (or re-driven) and needs a worker to submit it to fal. The job itself lives in
 * the job store; the message only says which job and which attempt, so a stale copy is harmless.
 *
 * @param attempt the attempt this message is for, starting at 1
 */
public record EditRequested(EditJobId jobId, int attempt, Instant requestedAt)
    implements EditMessage {}
