package dev.editflow.worker.sweep;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.StuckJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.model.JobStatus;
import dev.editflow.worker.system.WorkerSettings;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Makes sure every job ends: jobs past their deadline are timed out (and cancelled at fal by the
 * poller), jobs stuck in {@code QUEUED} (a lost message) are re-driven. Safe with any number of
 * replicas: every change is a guarded transition, and a duplicate re-drive is a no-op.
 */
@Component
class Sweeper implements SchedulingConfigurer {

  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
  private static final int BATCH = 200;

  private final EditJobs jobs;
  private final OverdueJobs overdue;
  private final StuckJobs stuck;
  private final WorkerSettings settings;
  private final JobTracing tracing;

  Sweeper(
      EditJobs jobs,
      OverdueJobs overdue,
      StuckJobs stuck,
      WorkerSettings settings,
      JobTracing tracing) {
    this.jobs = jobs;
    this.overdue = overdue;
    this.stuck = stuck;
    this.settings = settings;
    this.tracing = tracing;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(
        new FixedDelayTask(this::sweep, settings.sweepInterval(), Duration.ofSeconds(5)));
  }

  void sweep() {
    try {
      for (EditJob job : overdue.find(BATCH)) {
        // Part of the job's own trace: its last span.
        JobSpan span = tracing.start("time out", job.id(), job.traceParent());
        span.run(
            () ->
                jobs.move(
                    job.id(),
                    new Transition.TimedOut("sweeper", "deadline passed in " + job.status())));
        span.end();
      }
      for (EditJob job :
          stuck.findUnchangedSince(JobStatus.QUEUED, settings.requeueAfter(), BATCH)) {
        // A trace of its own that links back to the job's: what it sets off is a new course.
        JobSpan span = tracing.startLinked("sweeper re-drive", job.id(), job.traceParent());
        span.run(
            () -> {
              LOG.warn(
                  "Job {} has been QUEUED since {}; sending its EditRequested again.",
                  job.id(),
                  job.updatedAt());
              stuck.redrive(job, "no progress while queued");
            });
        span.end();
      }
    } catch (RuntimeException e) {
      LOG.warn("Sweep failed, trying again next round: {}", e.toString());
    }
  }
}
