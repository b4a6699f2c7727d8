package dev.editflow.messaging.outbox;

import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.messaging.MessageCodec;
import dev.editflow.messaging.outbox.OutboxRows.Batch;
import dev.editflow.messaging.outbox.OutboxRows.Row;
import dev.editflow.model.message.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Publishes outbox rows to the broker and deletes them once the broker confirmed them, in three
 * steps of which none waits on the broker inside a database transaction: claim a batch under a
 * lease (one committed statement), publish and wait for the confirms, delete the confirmed rows and
 * give back the others with a backoff. Several replicas relay side by side without sending a row
 * twice while its lease holds; a relay that dies after publishing leaves its rows to come due when
 * the lease ends, and they are sent again, which consumers tolerate (they are idempotent by job and
 * attempt). Each message is sent with its stored trace context as a W3C {@code traceparent} header,
 * under a span of its own.
 */
public class OutboxRelay implements SmartLifecycle, Outbox.Relay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** The outbox is looked at for the gauges at most this often, not on every scrape. */
  private static final Duration GAUGE_REFRESH = Duration.ofSeconds(5);

  private final OutboxRows rows;
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
      RabbitTemplate rabbit,
      MessageCodec codec,
      OutboxSettings settings,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    Assert.state(
        settings.lease().compareTo(settings.confirmTimeout()) > 0,
        "editflow.outbox.lease must be longer than editflow.outbox.confirm-timeout: a relay still"
            + " waiting for confirms must not lose its rows to another");
    this.rows = new OutboxRows(jdbc);
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

  /** Relays one batch; returns how many rows it claimed. */
  int relayBatch() {
    Batch batch = claim();
    if (batch.rows().isEmpty()) {
      return 0;
    }
    List<Sent> sent = publish(batch);
    awaitConfirms(sent);
    settle(batch, sent);
    return batch.rows().size();
  }

  /** Step 1: claims due rows under a lease, in a statement that commits at once. */
  Batch claim() {
    return rows.claim(clock.instant(), settings.lease(), settings.batchSize());
  }

  /**
   * Step 2, outside any transaction: sends every claimed row. If the broker fails mid-batch, the
   * rows not sent yet are given back at once and the failure is rethrown for the loop's backoff.
   */
  List<Sent> publish(Batch batch) {
    List<Sent> sent = new ArrayList<>(batch.rows().size());
    for (Row row : batch.rows()) {
      CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
      Message message =
          codec.encode(row.type(), row.version(), row.payload(), "outbox-" + row.id());
      JobSpan span = publishSpan(row);
      if (span != null && span.traceParent() != null) {
        message
            .getMessageProperties()
            .setHeader(JobTracing.TRACE_PARENT_HEADER, span.traceParent());
      }
      try {
        rabbit.send(Topology.EXCHANGE, row.routingKey(), message, correlation);
      } catch (RuntimeException e) {
        endSpan(span, e.toString());
        awaitConfirms(sent);
        settle(batch, sent);
        rows.unclaim(batch, unsent(batch, sent), clock.instant());
        throw e;
      }
      sent.add(new Sent(row, correlation, span));
    }
    return sent;
  }

  /**
   * Step 2, still outside any transaction: waits for the broker's confirms, all within one confirm
   * timeout.
   */
  void awaitConfirms(List<Sent> sent) {
    long deadline = System.nanoTime() + settings.confirmTimeout().toNanos();
    for (Sent s : sent) {
      s.failure = awaitConfirm(s.correlation(), deadline);
    }
  }

  /** Step 3: deletes the confirmed rows and gives back the others with a backoff. */
  void settle(Batch batch, List<Sent> sent) {
    List<Long> confirmed = new ArrayList<>();
    for (Sent s : sent) {
      endSpan(s.span(), s.failure);
      if (s.failure == null) {
        confirmed.add(s.row().id());
        published.increment();
        publishDelay.record(Duration.between(s.row().createdAt(), clock.instant()));
      } else {
        failed.increment();
        retryLater(batch, s.row(), s.failure);
      }
    }
    rows.delete(confirmed);
  }

  private static List<Long> unsent(Batch batch, List<Sent> sent) {
    Set<Long> sentIds = sent.stream().map(s -> s.row().id()).collect(Collectors.toSet());
    return batch.rows().stream().map(Row::id).filter(id -> !sentIds.contains(id)).toList();
  }

  private static @Nullable String awaitConfirm(CorrelationData correlation, long deadline) {
    try {
      CorrelationData.Confirm confirm =
          correlation
              .getFuture()
              .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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

  private void retryLater(Batch batch, Row row, String failure) {
    long backoffMs =
        Math.min(settings.maxBackoff().toMillis(), 500L * (1L << Math.min(row.attempts(), 10)));
    LOG.warn(
        "Broker did not confirm outbox message {} ({} of job) on attempt {}: {}; retrying in {} ms.",
        row.id(),
        row.type(),
        row.attempts() + 1,
        failure,
        backoffMs);
    rows.retryLater(batch, row, clock.instant().plusMillis(backoffMs), failure);
  }

  private static void endSpan(@Nullable JobSpan span, @Nullable String failure) {
    if (span != null) {
      span.failed(failure == null ? null : new IllegalStateException(failure));
      span.end();
    }
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
    OutboxRows.Backlog backlog = rows.backlog();
    pending = backlog.rows();
    oldestAgeSeconds =
        backlog.oldest() == null
            ? 0
            : Math.max(0, Duration.between(backlog.oldest(), now).toMillis() / 1000.0);
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A row sent to the broker, its confirm still to come. */
  static final class Sent {
    private final Row row;
    private final CorrelationData correlation;
    private final @Nullable JobSpan span;
    private @Nullable String failure;

    Sent(Row row, CorrelationData correlation, @Nullable JobSpan span) {
      this.row = row;
      this.correlation = correlation;
      this.span = span;
    }

    Row row() {
      return row;
    }

    CorrelationData correlation() {
      return correlation;
    }

    @Nullable JobSpan span() {
      return span;
    }
  }
}
