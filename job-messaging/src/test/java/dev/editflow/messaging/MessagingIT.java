package dev.editflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.model.EditJobId;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.MessageHeaders;
import dev.editflow.model.message.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox and the consumer rules against a real RabbitMQ. */
class MessagingIT extends MessagingIntegrationTest {

  @Autowired Outbox outbox;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired MessageCodec codec;
  @Autowired InboundMessages inbound;
  @Autowired TransactionTemplate transactions;

  @BeforeEach
  void emptyQueues() {
    admin.initialize();
    admin.purgeQueue(Topology.EDIT_REQUESTED_QUEUE, false);
    admin.purgeQueue(Topology.EDIT_COMPLETED_QUEUE, false);
    admin.purgeQueue(Topology.PARKING_LOT_QUEUE, false);
  }

  @Test
  void relaysAnAppendedMessageToItsQueueWithTypeAndVersionHeaders() {
    EditJobId id = EditJobId.generate();
    transactions.executeWithoutResult(tx -> outbox.append(new EditRequested(id, 1, Instant.now())));

    Message message = rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 10_000);

    assertThat(message).isNotNull();
    assertThat(message.getMessageProperties().getReceivedDeliveryMode())
        .isEqualTo(MessageDeliveryMode.PERSISTENT);
    assertThat(message.getMessageProperties().<String>getHeader(MessageHeaders.TYPE))
        .isEqualTo("EditRequested");
    EditRequested requested = codec.decode(message, EditRequested.class);
    assertThat(requested.jobId()).isEqualTo(id);
    assertThat(requested.attempt()).isEqualTo(1);
  }

  @Test
  void sendsNothingWhenTheAppendingTransactionRollsBack() {
    try {
      transactions.executeWithoutResult(
          tx -> {
            outbox.append(new EditRequested(EditJobId.generate(), 1, Instant.now()));
            throw new IllegalStateException("crash before commit");
          });
    } catch (IllegalStateException expected) {
      // the rollback is the point
    }

    assertThat(rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 1_500)).isNull();
  }

  @Test
  void parksAnUnreadableMessageWithItsReason() {
    rabbit.send(
        "",
        Topology.EDIT_COMPLETED_QUEUE,
        MessageBuilder.withBody("{not json".getBytes(StandardCharsets.UTF_8))
            .setHeader(MessageHeaders.TYPE, "EditCompleted")
            .setHeader(MessageHeaders.VERSION, 1)
            .build());

    AtomicInteger handled = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                consumeOne(
                    Topology.EDIT_COMPLETED_QUEUE,
                    EditCompleted.class,
                    m -> handled.incrementAndGet()));

    Message parked = rabbit.receive(Topology.PARKING_LOT_QUEUE, 5_000);
    assertThat(parked).isNotNull();
    assertThat(parked.getMessageProperties().<String>getHeader(MessageHeaders.PARK_REASON))
        .isEqualTo("unparseable");
    assertThat(parked.getMessageProperties().<String>getHeader(MessageHeaders.PARKED_FROM_QUEUE))
        .isEqualTo(Topology.EDIT_COMPLETED_QUEUE);
    assertThat(handled).hasValue(0);
    assertThat(rabbit.receive(Topology.EDIT_COMPLETED_QUEUE, 500)).isNull();
  }

  @Test
  void parksAMessageFromANewerContractVersion() {
    EditRequested requested = new EditRequested(EditJobId.generate(), 1, Instant.now());
    Message message = codec.encode(requested, "m-1");
    message.getMessageProperties().setHeader(MessageHeaders.VERSION, 99);
    rabbit.send("", Topology.EDIT_REQUESTED_QUEUE, message);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> consumeOne(Topology.EDIT_REQUESTED_QUEUE, EditRequested.class, m -> {}));

    Message parked = rabbit.receive(Topology.PARKING_LOT_QUEUE, 5_000);
    assertThat(parked).isNotNull();
    assertThat(parked.getMessageProperties().<String>getHeader(MessageHeaders.PARK_REASON))
        .isEqualTo("unsupported-version");
  }

  @Test
  void retriesATransientFailureWithDelaysThenParksIt() {
    EditRequested requested = new EditRequested(EditJobId.generate(), 1, Instant.now());
    rabbit.send("", Topology.EDIT_REQUESTED_QUEUE, codec.encode(requested, "m-2"));
    AtomicInteger attempts = new AtomicInteger();

    // Two retry levels are configured for tests: the first failure and two retries, then parked.
    for (int i = 0; i < 3; i++) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  consumeOne(
                      Topology.EDIT_REQUESTED_QUEUE,
                      EditRequested.class,
                      m -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("database down");
                      }));
    }

    Message parked = rabbit.receive(Topology.PARKING_LOT_QUEUE, 5_000);
    assertThat(attempts).hasValue(3);
    assertThat(parked).isNotNull();
    assertThat(parked.getMessageProperties().<String>getHeader(MessageHeaders.PARK_REASON))
        .isEqualTo("retries-exhausted");
    assertThat(codec.decode(parked, EditRequested.class)).isEqualTo(requested);
  }

  /** Takes one message from {@code queue}, if any, and hands it to {@link InboundMessages}. */
  private <T extends dev.editflow.model.message.EditMessage> boolean consumeOne(
      String queue, Class<T> type, java.util.function.Consumer<T> handler) {
    Boolean consumed =
        rabbit.execute(
            channel -> {
              GetResponse response = channel.basicGet(queue, false);
              if (response == null) {
                return false;
              }
              var properties =
                  new DefaultMessagePropertiesConverter()
                      .toMessageProperties(
                          response.getProps(),
                          response.getEnvelope(),
                          StandardCharsets.UTF_8.name());
              inbound.handle(
                  new Message(response.getBody(), properties), channel, queue, type, handler);
              return true;
            });
    return Boolean.TRUE.equals(consumed);
  }
}
