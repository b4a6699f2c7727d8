package dev.editflow.worker.submit;

import dev.editflow.fal.FalCallFailed;
import dev.editflow.fal.FalClient;
import dev.editflow.fal.SubmitOptions;
import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.messaging.TransientFailure;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditRequested;
import dev.editflow.storage.ObjectUrls;
import dev.editflow.worker.jobs.SubmitStarts;
import dev.editflow.worker.jobs.SubmitStarts.SubmitStart;
import dev.editflow.worker.system.WorkerMetrics;
import dev.editflow.worker.system.WorkerSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Submits one attempt of a job to fal, at most once. The attempt is marked before the call and
 * fal's request id recorded right after it, before the message is acknowledged; a redelivery finds
 * either the request (and leaves tracking to the poller) or a fresh marker (and backs off).
 */
@Component
class Submission {

  private static final Logger LOG = LoggerFactory.getLogger(Submission.class);

  private final EditJobs jobs;
  private final SubmitStarts starts;
  private final FalClient fal;
  private final ObjectUrls objectUrls;
  private final WorkerSettings settings;
  private final SchedulingSettings scheduling;
  private final WorkerMetrics metrics;
  private final Clock clock;

  Submission(
      EditJobs jobs,
      SubmitStarts starts,
      FalClient fal,
      ObjectUrls objectUrls,
      WorkerSettings settings,
      SchedulingSettings scheduling,
      WorkerMetrics metrics,
      Clock clock) {
    this.jobs = jobs;
    this.starts = starts;
    this.fal = fal;
    this.objectUrls = objectUrls;
    this.settings = settings;
    this.scheduling = scheduling;
    this.metrics = metrics;
    this.clock = clock;
  }

  void handle(EditRequested requested) {
    if (settings.falConcurrency() <= 0) {
      EditJob fresh = starts.markFreshSubmit(requested.jobId(), requested.attempt()).orElse(null);
      if (fresh != null) {
        submit(fresh);
        return;
      }
    }
    EditJob job = jobs.find(requested.jobId()).orElse(null);
    if (job == null || job.status() != JobStatus.QUEUED || job.attempt() != requested.attempt()) {
      LOG.debug("Nothing to submit for {} attempt {}.", requested.jobId(), requested.attempt());
      return;
    }
    Instant now = clock.instant();
    if (!job.deadlineAt().isAfter(now)) {
      jobs.move(job.id(), new Transition.TimedOut("worker", "deadline passed before submit"));
      return;
    }
    if (job.submitStartedAt() != null) {
      if (job.submitStartedAt().plus(settings.submitGrace()).isAfter(now)) {
        throw new TransientFailure(
            "Job "
                + job.id()
                + " attempt "
                + job.attempt()
                + " is being submitted by another delivery",
            null);
      }
      LOG.warn(
          "Job {} attempt {} was marked for submit at {} but no fal request was recorded: a worker"
              + " died in the submit window. Submitting again; fal may run a duplicate request.",
          job.id(),
          job.attempt(),
          job.submitStartedAt());
    }
    SubmitStart start =
        starts.startWithinFalLimit(
            job.id(),
            job.attempt(),
            job.submitStartedAt(),
            settings.falConcurrency(),
            scheduling.weight(job.tier()));
    if (start == SubmitStart.NO_FAL_SLOT) {
      // The job waits in the database; FalSlots sends it again when it is given a slot.
      metrics.waitedForFalSlot();
      LOG.debug("Job {} waits for a free fal slot.", job.id());
      return;
    }
    if (start == SubmitStart.TAKEN) {
      // Another delivery took the marker since we read the job; its own message stays unacked
      // until it has submitted, so this copy is redundant.
      LOG.debug(
          "Job {} attempt {} is being submitted by another delivery.", job.id(), job.attempt());
      return;
    }
    submit(job);
  }

  /** Submits the attempt, whose submit marker the caller holds. */
  private void submit(EditJob job) {
    List<String> imageUrls = job.inputs().stream().map(this::urlForFal).toList();
    long windowOpened = System.nanoTime();
    FalRequest request;
    try {
      request =
          fal.submit(
                  job.model(),
                  FalInputs.of(job.model(), job.prompt(), job.parameters(), imageUrls),
                  options(job))
              .join();
    } catch (CompletionException e) {
      handleSubmitFailure(job, e.getCause());
      return;
    }
    Instant submittedAt = clock.instant();
    if (jobs.move(
        job.id(),
        new Transition.Submitted(job.attempt(), request, submittedAt.plus(settings.pollFirst())))) {
      metrics.submitted(job.model(), Duration.between(job.createdAt(), submittedAt));
      metrics.submitWindow(Duration.ofNanos(System.nanoTime() - windowOpened));
    } else {
      LOG.warn(
          "Job {} moved on while fal request {} was submitted; cancelling that request.",
          job.id(),
          request.requestId());
      fal.cancel(request);
    }
  }

  private void handleSubmitFailure(EditJob job, Throwable cause) {
    if (!(cause instanceof FalCallFailed failed)) {
      throw new TransientFailure("Unexpected failure submitting job " + job.id(), cause);
    }
    if (failed.httpStatus() > 0) {
      // fal answered: no request was created, so the next delivery may submit straight away.
      starts.clearSubmitStarted(job.id(), job.attempt());
    }
    if (failed.retryable()) {
      throw new TransientFailure(
          "fal refused job " + job.id() + " for now: " + failed.getMessage(), failed);
    }
    LOG.warn("fal rejected job {}: {}", job.id(), failed.getMessage());
    jobs.move(job.id(), new Transition.Failed(failed.code(), failed.getMessage(), "worker"));
  }

  private SubmitOptions options(EditJob job) {
    URI webhook =
        settings.falWebhookBaseUrl() == null
            ? null
            : URI.create(
                settings.falWebhookBaseUrl().toString().replaceAll("/$", "")
                    + "/v1/fal/webhooks?job="
                    + job.id()
                    + "&attempt="
                    + job.attempt());
    return new SubmitOptions(
        settings.startTimeout(),
        scheduling.lowPriorityAtFal(job.tier()),
        settings.outputLifetime(),
        webhook);
  }

  /**
   * Uploads are presigned now, at submit time, for longer than fal may keep the request queued;
   * presigning at accept time would let the URL expire during a long queue wait.
   */
  private String urlForFal(EditInput input) {
    if (!input.isUpload()) {
      return input.url();
    }
    return objectUrls.get(input.objectKey(), settings.inputUrlTtl());
  }
}
