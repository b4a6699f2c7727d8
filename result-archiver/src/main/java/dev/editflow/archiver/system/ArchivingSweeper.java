package dev.editflow.archiver.system;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.StuckJobs;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.model.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The safety net for archiving: a job that stays {@code ARCHIVING} without any change (its message
 * was parked after a long S3 outage, or lost with a non-durable broker) gets its {@code
 * EditCompleted} sent again. Archiving is idempotent, so a copy racing a slow archive is harmless.
 */
@Component
class ArchivingSweeper implements SchedulingConfigurer {

  private static final Logger LOG = LoggerFactory.getLogger(ArchivingSweeper.class);
  private static final int BATCH = 50;

  private final StuckJobs stuck;
  private final ArchiverSettings settings;
  private final JobTracing tracing;

  ArchivingSweeper(StuckJobs stuck, ArchiverSettings settings, JobTracing tracing) {
    this.stuck = stuck;
    this.settings = settings;
    this.tracing = tracing;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(
        new FixedDelayTask(
            this::redriveQuietJobs, settings.sweepInterval(), settings.sweepInterval()));
  }

  void redriveQuietJobs() {
    if (settings.redriveAfter().isZero()) {
      return;
    }
    try {
      for (EditJob job :
          stuck.findUnchangedSince(JobStatus.ARCHIVING, settings.redriveAfter(), BATCH)) {
        // A trace of its own that links back to the job's: what it sets off is a new course.
        JobSpan span = tracing.startLinked("sweeper re-drive", job.id(), job.traceParent());
        span.run(
            () -> {
              if (stuck.redriveArchiving(job.id())) {
                LOG.warn(
                    "Job {} was ARCHIVING without change for over {}; sent its EditCompleted"
                        + " again.",
                    job.id(),
                    settings.redriveAfter());
              }
            });
        span.end();
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Looking for stuck ARCHIVING jobs failed, trying again next round: {}", e.toString());
    }
  }
}
