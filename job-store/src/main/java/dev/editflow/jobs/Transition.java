package dev.editflow.jobs;

import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import java.time.Duration;
import java.time.Instant;

/**
 * A fact that changes a job's status, handed to {@link EditJobs#move}. Each record names what
 * happened and carries what the row needs from it; {@link EditJobs#move} guards it with {@link
 * JobStatus#canMoveTo}, writes it, records it in the history and announces it, in one transaction.
 */
public sealed interface Transition {

  /** Who made the change, as the history records it. */
  String actor();

  /** The status the job moves to. */
  default JobStatus to() {
    return switch (this) {
      case Submitted s -> JobStatus.SUBMITTED;
      case InProgress p -> JobStatus.IN_PROGRESS;
      case Archiving a -> JobStatus.ARCHIVING;
      case Succeeded s -> JobStatus.SUCCEEDED;
      case Failed f -> JobStatus.FAILED;
      case Retry r -> JobStatus.QUEUED;
      case Cancelled c -> JobStatus.CANCELLED;
      case TimedOut t -> JobStatus.TIMED_OUT;
    };
  }

  /** fal accepted attempt {@code attempt}: its request is remembered before anything else. */
  record Submitted(int attempt, FalRequest request, Instant nextPollAt) implements Transition {
    @Override
    public String actor() {
      return "worker";
    }
  }

  /** fal started the request (the poller's claim already scheduled the next look). */
  record InProgress() implements Transition {
    @Override
    public String actor() {
      return "worker";
    }
  }

  /** fal finished the request successfully; its outputs are handed to the archiver. */
  record Archiving(EditCompleted completed) implements Transition {
    @Override
    public String actor() {
      return "worker";
    }
  }

  /** Every expected output is archived; the job does not move while one is missing. */
  record Succeeded() implements Transition {
    @Override
    public String actor() {
      return "archiver";
    }
  }

  /** The job failed for good; {@code detail} is for operators and is never shown to users. */
  record Failed(ErrorCode code, String detail, String actor) implements Transition {}

  /**
   * A retryable provider failure: back to {@code QUEUED} as attempt {@code failedAttempt + 1},
   * asked of a worker after {@code delay}, so the attempts of a job span a short outage instead of
   * all failing inside it.
   */
  record Retry(int failedAttempt, ErrorCode cause, String actor, Duration delay)
      implements Transition {

    public Retry(int failedAttempt, ErrorCode cause, String actor) {
      this(failedAttempt, cause, actor, Duration.ZERO);
    }
  }

  /** The user or an operator cancelled the job; a request still at fal is cancelled there. */
  record Cancelled(String actor, String reason) implements Transition {}

  /** The job's deadline passed; a request still at fal is cancelled there. */
  record TimedOut(String actor, String reason) implements Transition {}
}
