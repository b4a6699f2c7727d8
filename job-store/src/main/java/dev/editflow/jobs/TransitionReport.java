package dev.editflow.jobs;

import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells operators about every status change once it is committed, whichever service made it: one
 * INFO line, so that grepping a job id over the services' logs tells the job's story in order, and
 * for a terminal status the {@code editflow.jobs.finished} counter by status, code and model and
 * the {@code editflow.job.duration} histogram (accepted to terminal) by status.
 */
final class TransitionReport {

  private static final Logger LOG = LoggerFactory.getLogger("dev.editflow.jobs.transitions");

  /**
   * Buckets of the job duration: the latency SLO's threshold (300 s) must be one of them, and a few
   * around it let dashboards draw percentiles of jobs that take seconds to minutes.
   */
  private static final Duration[] JOB_DURATION_BUCKETS = {
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(20),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(90),
    Duration.ofSeconds(120),
    Duration.ofSeconds(180),
    Duration.ofSeconds(300),
    Duration.ofSeconds(450),
    Duration.ofSeconds(600),
    Duration.ofSeconds(900),
    Duration.ofSeconds(1800)
  };

  private final MeterRegistry meters;

  TransitionReport(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Reports the change after the current transaction commits; never if it rolls back. */
  void afterCommit(Change change) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      report(change);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            report(change);
          }
        });
  }

  private void report(Change change) {
    try (JobSpan.Scope job = JobTracing.jobIdInLogs(change.job())) {
      if (change.from() == null) {
        LOG.info(
            "Job {} is {}, by {}: {}", change.job(), change.to(), change.actor(), change.reason());
      } else {
        LOG.info(
            "Job {} is {} (was {}), by {}: {}",
            change.job(),
            change.to(),
            change.from(),
            change.actor(),
            change.reason());
      }
    }
    if (change.to().isTerminal()) {
      Counter.builder("editflow.jobs.finished")
          .description("Jobs that reached a terminal status, by status, error code and model")
          .tag("status", change.to().name())
          .tag("code", change.errorCode() == null ? "none" : change.errorCode())
          .tag("model", change.model())
          .register(meters)
          .increment();
      Timer.builder("editflow.job.duration")
          .description("Time from accepting a job to its terminal status, by that status")
          .tag("status", change.to().name())
          .serviceLevelObjectives(JOB_DURATION_BUCKETS)
          .register(meters)
          .record(change.sinceAccepted());
    }
  }

  /** One committed status change. */
  record Change(
      EditJobId job,
      String model,
      @Nullable JobStatus from,
      JobStatus to,
      String actor,
      String reason,
      @Nullable String errorCode,
      Duration sinceAccepted) {}
}
