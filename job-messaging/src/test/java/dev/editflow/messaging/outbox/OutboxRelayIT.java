package dev.editflow.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.messaging.MessageCodec;
import dev.editflow.messaging.MessagingIntegrationTest;
import dev.editflow.messaging.outbox.OutboxRelay.Sent;
import dev.editflow.messaging.outbox.OutboxRows.Batch;
import dev.editflow.messaging.outbox.OutboxRows.Row;
import dev.editflow.model.EditJobId;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's steps against real PostgreSQL and RabbitMQ. The relays under test run on a clock two
 * hours ahead and the rows they relay are stored due in one hour, so the application's own relay
 * (on the real clock) never touches them.
 */
class OutboxRelayIT extends MessagingIntegrationTest {

  private static final Duration LEASE = Duration.ofSeconds(30);

  @Autowired Outbox outbox;
  @Autowired JdbcClient jdbc;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired MessageCodec codec;
  @Autowired TransactionTemplate transactions;
  @Autowired JobTracing tracing;

  private final MovableClock clock = new MovableClock(Instant.now().plus(Duration.ofHours(2)));

  @BeforeEach
  void emptyQueue() {
    admin.initialize();
    admin.purgeQueue(Topology.EDIT_REQUESTED_QUEUE, false);
  }

  @Test
  void aRelayKilledBetweenPublishAndDeleteHasItsRowSentAgainOnceTheLeaseEnds() {
    EditJobId job = appendForTheRelaysUnderTest();
    OutboxRelay killed = relay(10);
    Batch claimed = killed.claim();
    List<Sent> sent = killed.publish(claimed);
    killed.awaitConfirms(sent);
    // killed here: it never deletes what the broker confirmed

    assertThat(receivedFor(Set.of(job))).hasSize(1);
    assertThat(rowsOf(job)).isEqualTo(1);

    OutboxRelay successor = relay(10);
    assertThat(idsOf(successor.claim())).doesNotContainAnyElementsOf(idsOf(claimed));

    clock.advance(LEASE.plusSeconds(1));
    successor.relayBatch();

    List<Message> again = receivedFor(Set.of(job));
    assertThat(again).hasSize(1);
    assertThat(again.getFirst().getMessageProperties().getMessageId())
        .isEqualTo("outbox-" + idsOf(claimed).getFirst());
    assertThat(rowsOf(job)).isZero();
  }

  @Test
  void twoRelaysNeverPublishTheSameRowWhileItsLeaseHolds() {
    Set<EditJobId> jobs = new HashSet<>();
    IntStream.range(0, 10).forEach(i -> jobs.add(appendForTheRelaysUnderTest()));
    OutboxRelay first = relay(5);
    OutboxRelay second = relay(5);

    Batch firstBatch = first.claim();
    Batch secondBatch = second.claim();
    Batch thirdClaim = relay(5).claim();

    assertThat(idsOf(firstBatch)).doesNotContainAnyElementsOf(idsOf(secondBatch));
    assertThat(idsOf(thirdClaim))
        .doesNotContainAnyElementsOf(idsOf(firstBatch))
        .doesNotContainAnyElementsOf(idsOf(secondBatch));
    relayClaimed(second, secondBatch);
    relayClaimed(first, firstBatch);
    relayClaimed(relay(5), thirdClaim);

    List<Message> received = receivedFor(jobs);
    assertThat(received).hasSize(10);
    assertThat(received.stream().map(m -> codec.decode(m, EditRequested.class).jobId()))
        .containsExactlyInAnyOrderElementsOf(jobs);
  }

  @Test
  void noDatabaseTransactionIsOpenWhileTheRelayWaitsForConfirms() {
    EditJobId job = appendForTheRelaysUnderTest();
    OutboxRelay relay = relay(10);
    Batch claimed = relay.claim();
    List<Sent> sent = relay.publish(claimed);

    assertThat(
            jdbc.sql(
                    """
                    select count(*) from pg_stat_activity
                    where datname = current_database() and state like 'idle in transaction%'
                    """)
                .query(Integer.class)
                .single())
        .isZero();

    relay.awaitConfirms(sent);
    relay.settle(claimed, sent);
    assertThat(receivedFor(Set.of(job))).hasSize(1);
    assertThat(rowsOf(job)).isZero();
  }

  private OutboxRelay relay(int batchSize) {
    OutboxSettings settings =
        new OutboxSettings(
            batchSize,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            LEASE);
    return new OutboxRelay(
        jdbc, rabbit, codec, settings, clock, tracing, new SimpleMeterRegistry());
  }

  private static void relayClaimed(OutboxRelay relay, Batch batch) {
    List<Sent> sent = relay.publish(batch);
    relay.awaitConfirms(sent);
    relay.settle(batch, sent);
  }

  private EditJobId appendForTheRelaysUnderTest() {
    EditJobId job = EditJobId.generate();
    transactions.executeWithoutResult(
        tx -> outbox.append(new EditRequested(job, 1, Instant.now()), Duration.ofHours(1)));
    return job;
  }

  /** Everything on the workers' queue for {@code jobs}, waiting until nothing more arrives. */
  private List<Message> receivedFor(Set<EditJobId> jobs) {
    List<Message> received = new ArrayList<>();
    for (Message m = rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 2_000);
        m != null;
        m = rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 1_000)) {
      if (jobs.contains(codec.decode(m, EditRequested.class).jobId())) {
        received.add(m);
      }
    }
    return received;
  }

  private int rowsOf(EditJobId job) {
    return jdbc.sql("select count(*) from outbox_message where job_id = :job")
        .param("job", job.value())
        .query(Integer.class)
        .single();
  }

  private static List<Long> idsOf(Batch batch) {
    return batch.rows().stream().map(Row::id).toList();
  }

  /** A clock the test moves forward, instead of waiting for a lease to run out. */
  private static final class MovableClock extends Clock {

    private Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
