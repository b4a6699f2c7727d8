package dev.editflow.messaging;

import dev.editflow.jobs.JobStoreConfiguration;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.messaging.outbox.OutboxRelay;
import dev.editflow.messaging.outbox.OutboxSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the broker plumbing into a service: the topology, the message codec, the consumer rules,
 * the queue gauges and the outbox relay. Import it with
 * {@code @Import(MessagingConfiguration.class)} next to {@link JobStoreConfiguration}, whose outbox
 * it relays.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OutboxSettings.class, MessagingSettings.class})
public class MessagingConfiguration {

  @Bean
  MessageCodec messageCodec(JsonMapper json) {
    return new MessageCodec(json);
  }

  @Bean
  Declarables editflowTopology(MessagingSettings settings) {
    return new Declarables(BrokerTopology.declarables(settings));
  }

  @Bean
  OutboxRelay outboxRelay(
      JdbcClient jdbc,
      RabbitTemplate rabbit,
      MessageCodec codec,
      OutboxSettings settings,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    assertConfirmsAndReturns(rabbit);
    return new OutboxRelay(jdbc, rabbit, codec, settings, clock, tracing, meters);
  }

  @Bean
  InboundMessages inboundMessages(
      MessageCodec codec,
      RabbitTemplate rabbit,
      MessagingSettings settings,
      MeterRegistry meters,
      JobTracing tracing,
      Clock clock) {
    return new InboundMessages(codec, rabbit, settings, meters, tracing, clock);
  }

  @Bean
  QueueGauges queueGauges(AmqpAdmin amqp, MessagingSettings settings, MeterRegistry meters) {
    return new QueueGauges(amqp, settings, meters);
  }

  /**
   * Fails fast at startup: without correlated confirms and returns, an unroutable or rejected
   * publish would be silently lost and the outbox row deleted anyway.
   */
  private static void assertConfirmsAndReturns(RabbitTemplate rabbit) {
    Assert.state(
        rabbit.getConnectionFactory() instanceof CachingConnectionFactory factory
            && factory.isPublisherConfirms()
            && factory.isPublisherReturns(),
        "editflow needs spring.rabbitmq.publisher-confirm-type=correlated and "
            + "spring.rabbitmq.publisher-returns=true");
    Assert.state(
        rabbit.isMandatoryFor(new Message(new byte[0])),
        "editflow needs spring.rabbitmq.template.mandatory=true");
  }
}
