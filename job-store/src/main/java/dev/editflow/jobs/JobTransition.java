package dev.editflow.jobs;

import dev.editflow.model.JobStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One recorded status change of a job.
 *
 * @param sequence increases with every transition in the store; clients resume event streams by it
 * @param from {@literal null} for the creation of the job
 */
public record JobTransition(
    long sequence,
    @Nullable JobStatus from,
    JobStatus to,
    String actor,
    @Nullable String reason,
    Instant at) {}
