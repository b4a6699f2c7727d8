package dev.editflow.gateway.edit;

import dev.editflow.model.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** The data of one {@code status} server-sent event: a transition of the job. */
@Schema(name = "StatusEvent", description = "The data of a status event: the job's new status.")
record StatusEvent(JobStatus status, Instant at) {}
