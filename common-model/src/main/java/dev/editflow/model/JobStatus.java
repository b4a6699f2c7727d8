package dev.editflow.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of an edit job and its one transition table. Every status change anywhere in
 * editflow is checked against {@link #canMoveTo(JobStatus)}, so late or duplicate events can never
 * move a job backwards or out of a terminal state.
 */
public enum JobStatus {
  /** Accepted and persisted; waiting for a worker to submit it to fal. */
  QUEUED,
  /** Submitted to fal; fal holds it in its queue. */
  SUBMITTED,
  /** fal is running the model. */
  IN_PROGRESS,
  /** fal finished; outputs are being copied into our S3. */
  ARCHIVING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT;

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED =
      Map.of(
          // SUBMITTED/IN_PROGRESS -> QUEUED starts a new attempt after a retryable provider
          // failure.
          QUEUED, EnumSet.of(SUBMITTED, FAILED, CANCELLED, TIMED_OUT),
          SUBMITTED, EnumSet.of(QUEUED, IN_PROGRESS, ARCHIVING, FAILED, CANCELLED, TIMED_OUT),
          IN_PROGRESS, EnumSet.of(QUEUED, ARCHIVING, FAILED, CANCELLED, TIMED_OUT),
          ARCHIVING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
          SUCCEEDED, EnumSet.noneOf(JobStatus.class),
          FAILED, EnumSet.noneOf(JobStatus.class),
          CANCELLED, EnumSet.noneOf(JobStatus.class),
          TIMED_OUT, EnumSet.noneOf(JobStatus.class));

  /** Whether a job in this status may change to {@code target}. */
  public boolean canMoveTo(JobStatus target) {
    return ALLOWED.get(this).contains(target);
  }

  /** The statuses from which a job may change to {@code target}. */
  public static Set<JobStatus> sourcesOf(JobStatus target) {
    EnumSet<JobStatus> sources = EnumSet.noneOf(JobStatus.class);
    for (JobStatus status : values()) {
      if (status.canMoveTo(target)) {
        sources.add(status);
      }
    }
    return sources;
  }

  /** Terminal statuses never change again. */
  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  /** Statuses in which fal holds (or may hold) a request of this job. */
  public boolean isAtProvider() {
    return this == SUBMITTED || this == IN_PROGRESS;
  }
}
