package dev.editflow.worker.tracking;

import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.GeneratedImage;
import dev.editflow.worker.jobs.JobAtFal;
import dev.editflow.worker.system.WorkerMetrics;
import dev.editflow.worker.system.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Moves a job on once its fal request has finished, whoever learnt how: the poller from fal's
 * result, or a verified webhook from its payload. Both are guarded transitions, so the two racing
 * on one request move the job once.
 */
@Component
class FalOutcomes {

  private final EditJobs jobs;
  private final WorkerSettings settings;
  private final WorkerMetrics metrics;
  private final Clock clock;

  FalOutcomes(EditJobs jobs, WorkerSettings settings, WorkerMetrics metrics, Clock clock) {
    this.jobs = jobs;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The request made these images: the archiver takes over, or the job fails without any. */
  void succeeded(JobAtFal job, List<GeneratedImage> images, @Nullable Duration inference) {
    if (images.isEmpty()) {
      jobs.move(
          job.id(),
          new Transition.Failed(ErrorCode.OUTPUT_INVALID, "fal returned no images", "worker"));
      return;
    }
    Instant now = clock.instant();
    if (jobs.move(
        job.id(),
        new Transition.Archiving(
            new EditCompleted(
                job.id(), job.attempt(), job.falRequest().requestId(), images, now)))) {
      metrics.atFal(Duration.between(job.updatedAt(), now), inference);
    }
  }

  /** The model failed: retry the job as a new attempt if that may help, else fail it. */
  void modelFailed(JobAtFal job, ErrorCode code, String detail) {
    if (code.retryable() && job.attempt() < settings.maxAttempts()) {
      jobs.move(
          job.id(),
          new Transition.Retry(
              job.attempt(),
              code,
              "worker",
              settings.attemptBackoff().multipliedBy(1L << Math.min(job.attempt() - 1, 10))));
    } else {
      jobs.move(job.id(), new Transition.Failed(code, detail, "worker"));
    }
  }
}
