package dev.editflow.messaging;

import dev.editflow.model.message.MessageHeaders;
import dev.editflow.model.message.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecovererWithConfirms;

/**
 * Spring AMQP's republishing recoverer aimed at {@code editflow.parking-lot}: it waits for the
 * broker's confirm (and throws without one, so the original stays unacknowledged) and adds, next to
 * Spring's {@code x-exception-*} headers, the reason headers the operator API lists and replays by.
 * The cause says why: an {@link UnreadableMessage} carries its reason; anything else is a transient
 * failure that used up its retries.
 */
class ParkingLot extends RepublishMessageRecovererWithConfirms {

  private static final Logger LOG = LoggerFactory.getLogger(ParkingLot.class);
  private static final int MAX_DETAIL = 500;

  private final Clock clock;
  private final MeterRegistry meters;

  ParkingLot(RabbitTemplate rabbit, Clock clock, MeterRegistry meters) {
    super(rabbit, "", Topology.PARKING_LOT_QUEUE, ConfirmType.CORRELATED);
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * Parks {@code message}, taken from {@code queue}, because of {@code cause}.
   *
   * @throws org.springframework.amqp.AmqpException if the broker did not confirm the parked copy
   */
  void park(Message message, String queue, Throwable cause) {
    message.getMessageProperties().setConsumerQueue(queue);
    recover(message, cause);
  }

  @Override
  public void recover(Message message, Throwable cause) {
    String queue = message.getMessageProperties().getConsumerQueue();
    String reason = reasonOf(cause);
    LOG.error(
        "Parking message {} from {}: {} ({})",
        message.getMessageProperties().getMessageId(),
        queue,
        reason,
        detailOf(cause));
    super.recover(message, cause);
    meters.counter("editflow.messages.parked", "queue", queue, "reason", reason).increment();
  }

  @Override
  protected Map<String, Object> additionalHeaders(Message message, Throwable cause) {
    return Map.of(
        MessageHeaders.PARK_REASON, reasonOf(cause),
        MessageHeaders.PARK_DETAIL, detailOf(cause),
        MessageHeaders.PARKED_FROM_QUEUE, message.getMessageProperties().getConsumerQueue(),
        MessageHeaders.PARKED_AT, clock.instant().toString());
  }

  private static String reasonOf(Throwable cause) {
    return cause instanceof UnreadableMessage unreadable
        ? unreadable.reason()
        : "retries-exhausted";
  }

  private static String detailOf(Throwable cause) {
    String detail =
        cause instanceof UnreadableMessage ? String.valueOf(cause.getMessage()) : cause.toString();
    return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
  }
}
