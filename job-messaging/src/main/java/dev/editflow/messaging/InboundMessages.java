package dev.editflow.messaging;

import com.rabbitmq.client.Channel;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.model.message.EditMessage;
import dev.editflow.model.message.MessageHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The consumer side of every queue: decode, handle, then acknowledge — only after the handler's
 * state change committed. A message that cannot be read, or whose handler says no retry can fix it,
 * is parked with its reason; a transient failure goes to a retry queue with a growing delay and is
 * parked when the delays are used up. Nothing is requeued in a tight loop and nothing is dropped.
 * Parking goes through {@link ParkingLot}, Spring AMQP's republishing recoverer with confirms.
 * Everything logged while a message is handled carries its job id.
 */
public class InboundMessages {

  private static final Logger LOG = LoggerFactory.getLogger(InboundMessages.class);

  private final MessageCodec codec;
  private final RabbitTemplate rabbit;
  private final MessagingSettings settings;
  private final MeterRegistry meters;
  private final JobTracing tracing;
  private final ParkingLot parkingLot;

  public InboundMessages(
      MessageCodec codec,
      RabbitTemplate rabbit,
      MessagingSettings settings,
      MeterRegistry meters,
      JobTracing tracing,
      Clock clock) {
    this.codec = codec;
    this.rabbit = rabbit;
    this.settings = settings;
    this.meters = meters;
    this.tracing = tracing;
    this.parkingLot = new ParkingLot(rabbit, clock, meters);
  }

  /**
   * Handles one delivery from {@code queue} with manual acknowledgement.
   *
   * @param handler must be idempotent: the same message may arrive more than once
   */
  public <T extends EditMessage> void handle(
      Message message, Channel channel, String queue, Class<T> type, Consumer<T> handler)
      throws IOException {
    long tag = message.getMessageProperties().getDeliveryTag();
    T decoded;
    try {
      decoded = codec.decode(message, type);
    } catch (UnreadableMessage e) {
      parkingLot.park(message, queue, e);
      channel.basicAck(tag, false);
      return;
    }
    try (JobSpan.Scope job = tracing.inLogs(decoded.jobId())) {
      try {
        handler.accept(decoded);
        count(queue, "handled");
        channel.basicAck(tag, false);
      } catch (UnreadableMessage e) {
        parkingLot.park(message, queue, e);
        channel.basicAck(tag, false);
      } catch (RuntimeException e) {
        retryLater(message, queue, e);
        channel.basicAck(tag, false);
      }
    }
  }

  private void retryLater(Message message, String queue, RuntimeException failure) {
    int retries = retryCount(message);
    if (retries >= settings.retryDelays().size()) {
      parkingLot.park(message, queue, failure);
      return;
    }
    Duration delay = settings.retryDelays().get(retries);
    LOG.warn(
        "Handling message {} from {} failed (retry {} of {}), retrying in {}: {}",
        message.getMessageProperties().getMessageId(),
        queue,
        retries + 1,
        settings.retryDelays().size(),
        delay,
        failure.toString());
    count(queue, "retried");
    Message copy =
        MessageBuilder.fromClonedMessage(message)
            .setHeader(MessageHeaders.RETRY_COUNT, retries + 1)
            .build();
    if (settings.rabbitmqFeatures()) {
      publishConfirmed("", BrokerTopology.retryQueue(queue, retries), copy);
    } else {
      // No TTL or dead-lettering on this broker: hold the consumer thread briefly (bounded) and
      // put the copy back on the queue. The job store's sweeper covers anything lost here.
      sleep(delay.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : delay);
      publishConfirmed("", queue, copy);
    }
  }

  /**
   * The original is only acknowledged once its copy is safe; if the copy is not confirmed the
   * original is not acknowledged either (the exception propagates and the container requeues it
   * when the channel closes).
   */
  private void publishConfirmed(String exchange, String routingKey, Message message) {
    ConfirmedPublish.publish(rabbit, exchange, routingKey, message);
  }

  private void count(String queue, String outcome) {
    meters.counter("editflow.messages.consumed", "queue", queue, "outcome", outcome).increment();
  }

  private static int retryCount(Message message) {
    Object header = message.getMessageProperties().getHeader(MessageHeaders.RETRY_COUNT);
    if (header == null) {
      return 0;
    }
    try {
      return Integer.parseInt(header.toString());
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
