package dev.editflow.jobs.monitoring;

import dev.editflow.jobs.messaging.MessagingSettings;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Gauges for alerts that every service exposes: {@code editflow.ready} (1 while the readiness group
 * is UP: database, broker, bucket) and {@code editflow.queue.messages} (messages waiting in each of
 * editflow's queues, the parking lot of poison messages included). Read every few seconds by one
 * scheduled task, never on a scrape, so a slow dependency cannot stall {@code
 * /actuator/prometheus}.
 */
public class ServiceGauges {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceGauges.class);

  private final ObjectProvider<HealthEndpoint> health;
  private final AmqpAdmin amqp;
  private final List<String> queues;
  private final AtomicLong ready = new AtomicLong();
  private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

  public ServiceGauges(
      ObjectProvider<HealthEndpoint> health,
      AmqpAdmin amqp,
      MessagingSettings settings,
      MeterRegistry meters) {
    this.health = health;
    this.amqp = amqp;
    this.queues = queues(settings);
    Gauge.builder("editflow.ready", ready, AtomicLong::get)
        .description("1 while this instance's readiness (database, broker, bucket) is UP, else 0")
        .register(meters);
    for (String queue : queues) {
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
    HealthEndpoint endpoint = health.getIfAvailable();
    HealthDescriptor readiness = endpoint == null ? null : endpoint.healthForPath("readiness");
    ready.set(readiness != null && Status.UP.equals(readiness.getStatus()) ? 1 : 0);
    try {
      for (String queue : queues) {
        QueueInformation info = amqp.getQueueInfo(queue);
        if (info != null) {
          depths.get(queue).set(info.getMessageCount());
        }
      }
    } catch (RuntimeException brokerDown) {
      // keep the last values; readiness (0 now) reports the broker
      LOG.debug("Could not read the queue depths: {}", brokerDown.toString());
    }
  }
}
