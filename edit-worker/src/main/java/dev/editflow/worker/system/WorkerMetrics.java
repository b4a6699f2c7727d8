package dev.editflow.worker.system;

import dev.editflow.model.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The worker's meters; tags stay low-cardinality (never a job id). The gauges of the whole job
 * store (jobs at fal, waiting for a slot, unfinished by status, the oldest and the overdue ones)
 * are read here with one query every few seconds, whatever the scrape rate; every replica reports
 * the same values, so dashboards take their {@code max}.
 */
@Component
public class WorkerMetrics {

  private static final List<JobStatus> UNFINISHED =
      List.of(JobStatus.QUEUED, JobStatus.SUBMITTED, JobStatus.IN_PROGRESS, JobStatus.ARCHIVING);

  private final MeterRegistry meters;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong waitingForFalSlot = new AtomicLong();
  private final AtomicLong overdue = new AtomicLong();
  private volatile double overdueSeconds;
  private volatile double oldestAgeSeconds;
  private final Map<JobStatus, AtomicLong> unfinished = new EnumMap<>(JobStatus.class);
  private final Map<String, AtomicLong> waitingByTier = new ConcurrentHashMap<>();
  private final Counter polls;

  WorkerMetrics(MeterRegistry meters, JdbcClient jdbc, Clock clock) {
    this.meters = meters;
    this.jdbc = jdbc;
    this.clock = clock;
    meters.gauge("editflow.worker.in-flight", inFlight);
    Gauge.builder("editflow.jobs.waiting.for.fal.slot", waitingForFalSlot, AtomicLong::get)
        .description("Jobs waiting in the job store for a free fal slot (all replicas)")
        .register(meters);
    Gauge.builder("editflow.jobs.overdue", overdue, AtomicLong::get)
        .description("Unfinished jobs whose deadline has passed (the sweeper should end them)")
        .register(meters);
    Gauge.builder("editflow.jobs.overdue.age", () -> overdueSeconds)
        .description("How long past its deadline the most overdue unfinished job is, 0 if none")
        .baseUnit("seconds")
        .register(meters);
    Gauge.builder("editflow.jobs.oldest.unfinished.age", () -> oldestAgeSeconds)
        .description("Age of the oldest job not in a terminal status, 0 if none")
        .baseUnit("seconds")
        .register(meters);
    for (JobStatus status : UNFINISHED) {
      AtomicLong count = new AtomicLong();
      unfinished.put(status, count);
      Gauge.builder("editflow.jobs.unfinished", count, AtomicLong::get)
          .description("Jobs in a non-terminal status (all replicas)")
          .tag("status", status.name())
          .register(meters);
    }
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

  /**
   * fal finished a request after {@code atFal}; {@code processing} is the model's own run time as
   * fal reports it (when it does), the rest is time in fal's queue.
   */
  public void atFal(Duration atFal, @Nullable Duration processing) {
    stage("at-fal", atFal);
    if (processing != null) {
      stage("fal-processing", processing);
      Duration queued = atFal.minus(processing);
      stage("fal-queue", queued.isNegative() ? Duration.ZERO : queued);
    }
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

  /** Reads the job-store gauges: one query over the unfinished jobs (a partial index). */
  @Scheduled(fixedDelayString = "${editflow.worker.gauge-interval:5s}")
  void countJobs() {
    Instant now = clock.instant();
    try {
      jdbc.sql(
              """
              select count(*) filter (where status = 'QUEUED'),
                count(*) filter (where status = 'SUBMITTED'),
                count(*) filter (where status = 'IN_PROGRESS'),
                count(*) filter (where status = 'ARCHIVING'),
                count(*) filter (where status = 'QUEUED' and waiting_for_fal_slot),
                count(*) filter (where deadline_at < :now),
                min(deadline_at),
                min(created_at)
              from edit_job where status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING')
              """)
          .param("now", Timestamp.from(now))
          .query(
              rs -> {
                for (int i = 0; i < UNFINISHED.size(); i++) {
                  unfinished.get(UNFINISHED.get(i)).set(rs.getLong(i + 1));
                }
                inFlight.set(rs.getLong(2) + rs.getLong(3));
                waitingForFalSlot.set(rs.getLong(5));
                overdue.set(rs.getLong(6));
                overdueSeconds = secondsSince(rs.getTimestamp(7), now);
                oldestAgeSeconds = secondsSince(rs.getTimestamp(8), now);
              });
      Map<String, Long> byTier = new HashMap<>();
      jdbc.sql(
              """
              select tier, count(*) from edit_job where waiting_for_fal_slot and status = 'QUEUED'
              group by tier
              """)
          .query((RowCallbackHandler) rs -> byTier.put(rs.getString(1), rs.getLong(2)));
      byTier.keySet().forEach(this::waitingInTier);
      waitingByTier.forEach((tier, count) -> count.set(byTier.getOrDefault(tier, 0L)));
    } catch (RuntimeException databaseDown) {
      // keep the last values; health reports the database
    }
  }

  /** A tier once seen keeps its series, at 0 while none of its jobs wait. */
  private AtomicLong waitingInTier(String tier) {
    return waitingByTier.computeIfAbsent(
        tier,
        t -> {
          AtomicLong count = new AtomicLong();
          Gauge.builder("editflow.jobs.waiting.for.fal.slot.by.tier", count, AtomicLong::get)
              .description("Jobs waiting in the job store for a free fal slot, by the owner's tier")
              .tag("tier", t)
              .register(meters);
          return count;
        });
  }

  private static double secondsSince(@Nullable Timestamp at, Instant now) {
    return at == null ? 0 : Math.max(0, Duration.between(at.toInstant(), now).toMillis() / 1000.0);
  }
}
