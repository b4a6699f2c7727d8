package dev.editflow.gateway.admin;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.editflow.messaging.ConfirmedPublish;
import dev.editflow.messaging.MessagingSettings;
import dev.editflow.model.message.MessageHeaders;
import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parking lot and the dead-letter queues, read and replayed over plain AMQP. Reading takes
 * messages without acknowledging them and hands them all back at the end, in their order. A replay
 * takes one message, publishes a cleaned copy to its original queue, waits for the broker's confirm
 * and only then acknowledges the parked original: a failure anywhere in between leaves the original
 * parked (the broker takes back what a dead channel had not acknowledged), so a replay can
 * duplicate a message but never lose one; consumers are idempotent, so the duplicate is harmless.
 */
@Component
class ParkedMessages {

  /** One parked message, as an operator needs to judge it. */
  @Schema(name = "ParkedMessage")
  record Parked(
      String queue,
      @Nullable String messageId,
      @Nullable String type,
      @Nullable String jobId,
      String reason,
      @Nullable String detail,
      @Nullable String originalQueue,
      @Nullable String parkedAt) {}

  /** What a replay did (or, in a dry run, would do). */
  record Outcome(List<Parked> replayed, List<Parked> leftParked) {}

  private static final Set<String> DROPPED_HEADERS =
      Set.of(
          MessageHeaders.PARK_REASON,
          MessageHeaders.PARK_DETAIL,
          MessageHeaders.PARKED_FROM_QUEUE,
          MessageHeaders.PARKED_AT,
          MessageHeaders.RETRY_COUNT,
          RepublishMessageRecoverer.X_EXCEPTION_MESSAGE,
          RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE,
          RepublishMessageRecoverer.X_ORIGINAL_EXCHANGE,
          RepublishMessageRecoverer.X_ORIGINAL_ROUTING_KEY,
          "x-death",
          "x-first-death-queue",
          "x-first-death-reason",
          "x-first-death-exchange",
          "x-last-death-queue",
          "x-last-death-reason",
          "x-last-death-exchange");

  private static final Set<String> CONSUMER_QUEUES =
      Stream.of(MessageType.values()).map(Topology::queueFor).collect(Collectors.toSet());

  private final RabbitTemplate rabbit;
  private final AmqpAdmin amqp;
  private final MessagingSettings settings;
  private final JsonMapper json;
  private final DefaultMessagePropertiesConverter properties =
      new DefaultMessagePropertiesConverter();

  ParkedMessages(
      RabbitTemplate rabbit, AmqpAdmin amqp, MessagingSettings settings, JsonMapper json) {
    this.rabbit = rabbit;
    this.amqp = amqp;
    this.settings = settings;
    this.json = json;
  }

  /** The parking lot, then the consumer queues' dead-letter queues (RabbitMQ only). */
  List<String> queues() {
    List<String> queues = new ArrayList<>(List.of(Topology.PARKING_LOT_QUEUE));
    if (settings.rabbitmqFeatures()) {
      for (MessageType type : MessageType.values()) {
        queues.add(Topology.deadLetterQueueOf(Topology.queueFor(type)));
      }
    }
    return queues;
  }

  /** Messages ready in {@code queue}, or 0 if it does not exist (yet). */
  long depth(String queue) {
    QueueInformation info = amqp.getQueueInfo(queue);
    return info == null ? 0 : info.getMessageCount();
  }

  /** Up to {@code limit} messages from the head of {@code queue}, left where they are. */
  List<Parked> peek(String queue, int limit) {
    List<Parked> seen = new ArrayList<>();
    rabbit.execute(
        channel -> {
          try {
            for (int i = 0; i < limit; i++) {
              GetResponse got = channel.basicGet(queue, false);
              if (got == null) {
                break;
              }
              seen.add(describe(queue, got));
            }
          } finally {
            handBack(channel);
          }
          return null;
        });
    return seen;
  }

  /**
   * Sends parked messages of {@code queue} back to the queue they came from: the one with {@code
   * messageId}, or up to {@code limit} from the head. Messages whose original queue is not one of
   * ours stay parked. Each replayed message is added to {@code replayed} as soon as its original is
   * acknowledged, so a caller that meets an exception knows how far it got.
   */
  Outcome replay(
      String queue,
      @Nullable String messageId,
      int limit,
      int scanLimit,
      boolean dryRun,
      Consumer<Parked> replayed) {
    List<Parked> done = new ArrayList<>();
    List<Parked> left = new ArrayList<>();
    rabbit.invoke(
        ops -> {
          ops.execute(
              channel -> {
                try {
                  for (int seen = 0; seen < scanLimit && done.size() < limit; seen++) {
                    GetResponse got = channel.basicGet(queue, false);
                    if (got == null) {
                      break;
                    }
                    Parked parked = describe(queue, got);
                    if (messageId != null && !messageId.equals(parked.messageId())) {
                      continue;
                    }
                    if (parked.originalQueue() == null
                        || !CONSUMER_QUEUES.contains(parked.originalQueue())) {
                      left.add(parked);
                      continue;
                    }
                    if (!dryRun) {
                      ConfirmedPublish.publish(ops, "", parked.originalQueue(), cleanCopy(got));
                      channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
                    }
                    done.add(parked);
                    replayed.accept(parked);
                    if (messageId != null) {
                      break;
                    }
                  }
                } finally {
                  handBack(channel);
                }
                return null;
              });
          return null;
        });
    return new Outcome(done, left);
  }

  /** Returns every message this channel holds unacknowledged to its queue, in order. */
  private static void handBack(Channel channel) throws IOException {
    if (channel.isOpen()) {
      channel.basicNack(0, true, true);
    }
  }

  private Message cleanCopy(GetResponse got) {
    MessageProperties props =
        properties.toMessageProperties(got.getProps(), got.getEnvelope(), "UTF-8");
    MessageProperties copy = new MessageProperties();
    copy.setMessageId(props.getMessageId());
    copy.setContentType(props.getContentType());
    copy.setContentEncoding(props.getContentEncoding());
    copy.setTimestamp(props.getTimestamp());
    copy.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    props
        .getHeaders()
        .forEach(
            (name, value) -> {
              if (!DROPPED_HEADERS.contains(name)) {
                copy.setHeader(name, value);
              }
            });
    return new Message(got.getBody(), copy);
  }

  private Parked describe(String queue, GetResponse got) {
    Map<String, Object> headers =
        got.getProps().getHeaders() == null ? Map.of() : got.getProps().getHeaders();
    boolean parkingLot = queue.equals(Topology.PARKING_LOT_QUEUE);
    String original =
        parkingLot
            ? text(headers.get(MessageHeaders.PARKED_FROM_QUEUE))
            : queue.substring(0, queue.length() - Topology.deadLetterQueueOf("").length());
    String reason =
        parkingLot
            ? String.valueOf(text(headers.get(MessageHeaders.PARK_REASON)))
            : "dead-lettered: " + text(headers.get("x-first-death-reason"));
    return new Parked(
        queue,
        got.getProps().getMessageId(),
        text(headers.get(MessageHeaders.TYPE)),
        jobId(got.getBody()),
        reason,
        text(headers.get(MessageHeaders.PARK_DETAIL)),
        original,
        text(headers.get(MessageHeaders.PARKED_AT)));
  }

  /** The job a message is about, if its body is readable enough to tell. */
  private @Nullable String jobId(byte[] body) {
    try {
      JsonNode id = json.readTree(new String(body, StandardCharsets.UTF_8)).get("jobId");
      return id == null || !id.isString() ? null : id.asString();
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  private static @Nullable String text(@Nullable Object header) {
    return header == null ? null : header.toString();
  }
}
