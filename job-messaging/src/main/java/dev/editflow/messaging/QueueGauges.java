package dev.editflow.messaging;

import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@code editflow.queue.messages}, which every service exposes for alerts: messages waiting in each
 * of editflow's queues, the parking lot of poison messages included. Read every few seconds by one
 * scheduled task, never on a scrape, so a slow broker cannot stall {@code /actuator/prometheus}.
 */
class QueueGauges {

  private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);

  private final AmqpAdmin amqp;
  private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

  QueueGauges(AmqpAdmin amqp, MessagingSettings settings, MeterRegistry meters) {
    this.amqp = amqp;
    for (String queue : queues(settings)) {
      AtomicLong depth = new AtomicLong();
      depths.put(queue, depth);
      Gauge.builder("editflow.queue.messages", depth, AtomicLong::get)
          .description("Messages ready in an editflow queue (the parking lot: poison messages)")
          .tag("queue", queue)
          .register(meters);
    }
  }

  /** The consumer queues, their dead-letter queues (RabbitMQ only) and the parking lot. */
  private static List<String> queues(MessagingSettings settings) {
    List<String> queues = new ArrayList<>();
    for (MessageType type : MessageType.values()) {
      queues.add(Topology.queueFor(type));
      if (settings.rabbitmqFeatures()) {
        queues.add(Topology.deadLetterQueueOf(Topology.queueFor(type)));
      }
    }
    queues.add(Topology.PARKING_LOT_QUEUE);
    return queues;
  }

  @Scheduled(
      initialDelayString = "${editflow.monitoring.refresh-interval:10s}",
      fixedDelayString = "${editflow.monitoring.refresh-interval:10s}")
  void refresh() {
    try {
      for (Map.Entry<String, AtomicLong> queue : depths.entrySet()) {
        QueueInformation info = amqp.getQueueInfo(queue.getKey());
        if (info != null) {
          queue.getValue().set(info.getMessageCount());
        }
      }
    } catch (RuntimeException brokerDown) {
      // keep the last values; readiness (0 now) reports the broker
      LOG.debug("Could not read the queue depths: {}", brokerDown.toString());
    }
  }
}
