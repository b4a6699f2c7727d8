package dev.editflow.worker.sweep;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import dev.editflow.worker.system.WorkerMetrics;
import dev.editflow.worker.system.WorkerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes sure every job ends: jobs past their deadline are timed out (and cancelled at fal by the
 * poller), jobs stuck in {@code QUEUED} (a lost message) are re-driven. Safe with any number of
 * replicas: every change is a guarded transition, and a duplicate re-drive is a no-op.
 */
@Component
class Sweeper {

  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
  private static final int BATCH = 200;

  private final EditJobs jobs;
  private final WorkerSettings settings;
  private final WorkerMetrics metrics;

  Sweeper(EditJobs jobs, WorkerSettings settings, WorkerMetrics metrics) {
    this.jobs = jobs;
    this.settings = settings;
    this.metrics = metrics;
  }

  @Scheduled(fixedDelayString = "${editflow.worker.sweep-interval:15s}", initialDelayString = "5s")
  void sweep() {
    try {
      for (EditJob job : jobs.findPastDeadline(BATCH)) {
        if (jobs.end(
            job.id(),
            JobStatus.TIMED_OUT,
            ErrorCode.DEADLINE_EXCEEDED,
            "sweeper",
            "deadline passed in " + job.status())) {
          LOG.warn("Job {} timed out in {}.", job.id(), job.status());
          metrics.finished(JobStatus.TIMED_OUT, ErrorCode.DEADLINE_EXCEEDED);
        }
      }
      for (EditJob job :
          jobs.findUnchangedSince(JobStatus.QUEUED, settings.requeueAfter(), BATCH)) {
        LOG.warn(
            "Job {} has been QUEUED since {}; sending its EditRequested again.",
            job.id(),
            job.updatedAt());
        jobs.redrive(job, "no progress while queued");
      }
    } catch (RuntimeException e) {
      LOG.warn("Sweep failed, trying again next round: {}", e.toString());
    }
  }
}
