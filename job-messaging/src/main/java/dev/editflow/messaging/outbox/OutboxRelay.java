package dev.editflow.messaging.outbox;

import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.messaging.MessageCodec;
import dev.editflow.model.EditJobId;
import dev.editflow.model.message.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to the broker and deletes them once the broker confirmed them. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so several replicas relay side by side without
 * sending a row twice in normal operation; a crash between the confirm and the delete sends a row
 * again, which consumers tolerate (they are idempotent by job and attempt). Each message is sent
 * with its stored trace context as a W3C {@code traceparent} header, under a span of its own.
 */
public class OutboxRelay implements SmartLifecycle, Outbox.Relay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** The outbox is looked at for the gauges at most this often, not on every scrape. */
  private static final Duration GAUGE_REFRESH = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final RabbitTemplate rabbit;
  private final MessageCodec codec;
  private final OutboxSettings settings;
  private final Clock clock;
  private final JobTracing tracing;
  private final Semaphore wakeUp = new Semaphore(0);
  private final Counter published;
  private final Counter failed;
  private final Timer publishDelay;
  private volatile boolean running;
  private volatile long pending;
  private volatile double oldestAgeSeconds;
  private Instant gaugesRefreshed = Instant.EPOCH;
  private Thread thread;

  public OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      RabbitTemplate rabbit,
      MessageCodec codec,
      OutboxSettings settings,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.rabbit = rabbit;
    this.codec = codec;
    this.settings = settings;
    this.clock = clock;
    this.tracing = tracing;
    this.published =
        Counter.builder("editflow.outbox.published")
            .description("Outbox messages the broker confirmed")
            .register(meters);
    this.failed =
        Counter.builder("editflow.outbox.publish.failures")
            .description("Outbox publishes the broker did not confirm (retried later)")
            .register(meters);
    this.publishDelay =
        Timer.builder("editflow.outbox.delay")
            .description("Time from storing an outbox message to the broker's confirm")
            .publishPercentileHistogram()
            .register(meters);
    Gauge.builder("editflow.outbox.pending", () -> pending)
        .description("Outbox rows waiting to be published (all services share one outbox)")
        .register(meters);
    Gauge.builder("editflow.outbox.oldest.age", () -> oldestAgeSeconds)
        .description("Age of the oldest row waiting in the outbox, 0 when it is empty")
        .baseUnit("seconds")
        .register(meters);
  }

  /** Asks the relay to look for new rows now. */
  @Override
  public void wake() {
    if (wakeUp.availablePermits() == 0) {
      wakeUp.release();
    }
  }

  @Override
  public void start() {
    running = true;
    thread = Thread.ofPlatform().name("outbox-relay").daemon(true).start(this::loop);
  }

  @Override
  public void stop() {
    running = false;
    wake();
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stop after the listeners (which may still append) and before the connection factory. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }

  private void loop() {
    while (running) {
      try {
        refreshGauges();
        int sent = relayBatch();
        if (sent < settings.batchSize()) {
          wakeUp.tryAcquire(settings.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
          wakeUp.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Database or broker down: back off instead of spinning; rows stay in the outbox.
        LOG.warn(
            "Outbox relay round failed, retrying in {}: {}",
            settings.sweepInterval(),
            e.toString());
        sleepQuietly(settings.sweepInterval());
      }
    }
  }

  /** Relays one batch; returns how many rows it handled. */
  int relayBatch() {
    Integer handled =
        transactions.execute(
            tx -> {
              List<Row> rows =
                  jdbc.sql(
                          """
                          select id, message_type, message_version, routing_key, payload::text,
                            attempts, created_at, job_id, trace_parent
                          from outbox_message where next_attempt_at <= :now
                          order by id limit :limit for update skip locked
                          """)
                      .param("now", Timestamp.from(clock.instant()))
                      .param("limit", settings.batchSize())
                      .query(
                          (rs, n) ->
                              new Row(
                                  rs.getLong(1),
                                  rs.getString(2),
                                  rs.getInt(3),
                                  rs.getString(4),
                                  rs.getString(5),
                                  rs.getInt(6),
                                  rs.getTimestamp(7).toInstant(),
                                  new EditJobId(rs.getString(8)),
                                  rs.getString(9)))
                      .list();
              List<Pending> pending = new ArrayList<>(rows.size());
              for (Row row : rows) {
                CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
                Message message =
                    codec.encode(row.type(), row.version(), row.payload(), "outbox-" + row.id());
                JobSpan span = publishSpan(row);
                if (span != null && span.traceParent() != null) {
                  message
                      .getMessageProperties()
                      .setHeader(JobTracing.TRACE_PARENT_HEADER, span.traceParent());
                }
                rabbit.send(Topology.EXCHANGE, row.routingKey(), message, correlation);
                pending.add(new Pending(row, correlation, span));
              }
              List<Long> confirmed = new ArrayList<>();
              for (Pending p : pending) {
                String failure = awaitConfirm(p.correlation());
                if (p.span() != null) {
                  p.span().failed(failure == null ? null : new IllegalStateException(failure));
                  p.span().end();
                }
                if (failure == null) {
                  confirmed.add(p.row().id());
                  published.increment();
                  publishDelay.record(Duration.between(p.row().createdAt(), clock.instant()));
                } else {
                  failed.increment();
                  reschedule(p.row(), failure);
                }
              }
              if (!confirmed.isEmpty()) {
                jdbc.sql("delete from outbox_message where id in (:ids)")
                    .param("ids", confirmed)
                    .update();
              }
              return rows.size();
            });
    return handled == null ? 0 : handled;
  }

  private String awaitConfirm(CorrelationData correlation) {
    try {
      CorrelationData.Confirm confirm =
          correlation.getFuture().get(settings.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!confirm.ack()) {
        return "nacked: " + confirm.reason();
      }
      if (correlation.getReturned() != null) {
        return "returned unroutable: " + correlation.getReturned().getReplyText();
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception e) {
      return "no confirm: " + e;
    }
  }

  private void reschedule(Row row, String failure) {
    long backoffMs =
        Math.min(settings.maxBackoff().toMillis(), 500L * (1L << Math.min(row.attempts(), 10)));
    LOG.warn(
        "Broker did not confirm outbox message {} ({} of job) on attempt {}: {}; retrying in {} ms.",
        row.id(),
        row.type(),
        row.attempts() + 1,
        failure,
        backoffMs);
    jdbc.sql(
            """
            update outbox_message set attempts = attempts + 1, last_error = :error,
              next_attempt_at = :next where id = :id
            """)
        .param("error", failure)
        .param("next", Timestamp.from(clock.instant().plusMillis(backoffMs)))
        .param("id", row.id())
        .update();
  }

  private @Nullable JobSpan publishSpan(Row row) {
    if (row.traceParent() == null) {
      return null;
    }
    return tracing
        .start("outbox publish " + row.type(), Span.Kind.PRODUCER, row.jobId(), row.traceParent())
        .tag("messaging.destination.name", row.routingKey());
  }

  /** Counts the outbox for the gauges, at most every few seconds whatever the scrape rate. */
  private void refreshGauges() {
    Instant now = clock.instant();
    if (Duration.between(gaugesRefreshed, now).compareTo(GAUGE_REFRESH) < 0) {
      return;
    }
    gaugesRefreshed = now;
    jdbc.sql("select count(*), min(created_at) from outbox_message")
        .query(
            rs -> {
              pending = rs.getLong(1);
              Timestamp oldest = rs.getTimestamp(2);
              oldestAgeSeconds =
                  oldest == null
                      ? 0
                      : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0);
            });
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Row(
      long id,
      String type,
      int version,
      String routingKey,
      String payload,
      int attempts,
      Instant createdAt,
      EditJobId jobId,
      @Nullable String traceParent) {}

  private record Pending(Row row, CorrelationData correlation, @Nullable JobSpan span) {}
}
