package dev.editflow.messaging;

import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * The whole broker topology, declared identically by every service (declarations are idempotent).
 * On RabbitMQ: quorum consumer queues, each with a dead-letter queue and one TTL retry queue per
 * delay level that dead-letters back into it. On a plain AMQP broker: durable classic queues only.
 */
public final class BrokerTopology {

  private BrokerTopology() {}

  /** The retry queue of {@code queue} for retry number {@code level} (from 0). */
  public static String retryQueue(String queue, int level) {
    return queue + ".retry." + (level + 1);
  }

  public static List<Declarable> declarables(MessagingSettings settings) {
    List<Declarable> declarables = new ArrayList<>();
    TopicExchange exchange = new TopicExchange(Topology.EXCHANGE, true, false);
    declarables.add(exchange);
    declarables.add(QueueBuilder.durable(Topology.PARKING_LOT_QUEUE).build());
    DirectExchange deadLetters = new DirectExchange(Topology.DEAD_LETTER_EXCHANGE, true, false);
    if (settings.rabbitmqFeatures()) {
      declarables.add(deadLetters);
    }
    for (MessageType type : MessageType.values()) {
      String name = Topology.queueFor(type);
      Queue queue;
      if (settings.rabbitmqFeatures()) {
        queue =
            QueueBuilder.durable(name)
                .quorum()
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .deadLetterRoutingKey(name)
                .build();
        Queue deadLetterQueue = QueueBuilder.durable(Topology.deadLetterQueueOf(name)).build();
        declarables.add(deadLetterQueue);
        declarables.add(BindingBuilder.bind(deadLetterQueue).to(deadLetters).with(name));
        for (int level = 0; level < settings.retryDelays().size(); level++) {
          declarables.add(
              QueueBuilder.durable(retryQueue(name, level))
                  .ttl((int) settings.retryDelays().get(level).toMillis())
                  .deadLetterExchange("")
                  .deadLetterRoutingKey(name)
                  .build());
        }
      } else {
        queue = QueueBuilder.durable(name).build();
      }
      declarables.add(queue);
      Binding binding = BindingBuilder.bind(queue).to(exchange).with(type.routingKey());
      declarables.add(binding);
    }
    return declarables;
  }
}
