package dev.editflow.worker.system;

import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The worker's meters; tags stay low-cardinality (never a job id). */
@Component
public class WorkerMetrics {

  private final MeterRegistry meters;
  private final JdbcClient jdbc;
  private final AtomicLong inFlight = new AtomicLong();
  private final Counter polls;

  WorkerMetrics(MeterRegistry meters, JdbcClient jdbc) {
    this.meters = meters;
    this.jdbc = jdbc;
    meters.gauge("editflow.worker.in-flight", inFlight);
    this.polls =
        Counter.builder("editflow.fal.polls")
            .description("Status looks at fal requests")
            .register(meters);
  }

  public void falCall(String operation, String outcome, int status, Duration duration) {
    meters.counter("editflow.fal.calls", "operation", operation, "outcome", outcome).increment();
    Timer.builder("editflow.fal.call.duration")
        .tag("operation", operation)
        .publishPercentileHistogram()
        .register(meters)
        .record(duration);
  }

  public void submitted(String model, Duration queued) {
    meters.counter("editflow.jobs.submitted", "model", model).increment();
    stage("queued", queued);
  }

  public void atFal(Duration duration) {
    stage("at-fal", duration);
  }

  public void finished(JobStatus status, ErrorCode code) {
    meters
        .counter("editflow.jobs.finished", "status", status.name(), "code", code.name())
        .increment();
  }

  public void polled() {
    polls.increment();
  }

  /**
   * How long an attempt was exposed to the submit window: from sending the submit to fal until its
   * request id was committed. A crash inside it leaves a fal request we did not record.
   */
  public void submitWindow(Duration duration) {
    Timer.builder("editflow.worker.submit.window")
        .description("Submit sent to fal → its request id committed")
        .publishPercentileHistogram()
        .register(meters)
        .record(duration);
  }

  /** A job found the fal account at its concurrency limit and waits with us. */
  public void waitedForFalSlot() {
    meters.counter("editflow.worker.fal-slot-waits").increment();
  }

  private void stage(String stage, Duration duration) {
    Timer.builder("editflow.stage.duration")
        .tag("stage", stage)
        .publishPercentileHistogram()
        .register(meters)
        .record(duration);
  }

  /** Jobs at fal across all replicas; counted now and then, not per scrape. */
  @Scheduled(fixedDelay = 5000)
  void countInFlight() {
    try {
      inFlight.set(
          jdbc.sql("select count(*) from edit_job where status in ('SUBMITTED', 'IN_PROGRESS')")
              .query(Long.class)
              .single());
    } catch (RuntimeException databaseDown) {
      // keep the last value; health reports the database
    }
  }
}
