package dev.editflow.jobs;

import dev.editflow.jobs.messaging.BrokerTopology;
import dev.editflow.jobs.messaging.InboundMessages;
import dev.editflow.jobs.messaging.MessageCodec;
import dev.editflow.jobs.messaging.MessagingSettings;
import dev.editflow.jobs.migration.MigrationConfiguration;
import dev.editflow.jobs.monitoring.ServiceGauges;
import dev.editflow.jobs.monitoring.UntracedActuator;
import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.jobs.outbox.OutboxRelay;
import dev.editflow.jobs.outbox.OutboxSettings;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.webhook.ClientWebhooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the job store, the outbox and the shared broker plumbing into a service: import it with
 * {@code @Import(JobStoreConfiguration.class)}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OutboxSettings.class, MessagingSettings.class})
@Import({MigrationConfiguration.class, UntracedActuator.class})
public class JobStoreConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  MessageCodec messageCodec(JsonMapper json) {
    return new MessageCodec(json);
  }

  @Bean
  Declarables editflowTopology(MessagingSettings settings) {
    return new Declarables(BrokerTopology.declarables(settings));
  }

  /** Micrometer Tracing's tracer where the service has one, a no-op one otherwise. */
  @Bean
  JobTracing jobTracing(ObjectProvider<Tracer> tracer) {
    return new JobTracing(tracer.getIfAvailable(() -> Tracer.NOOP));
  }

  @Bean
  OutboxRelay outboxRelay(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      RabbitTemplate rabbit,
      MessageCodec codec,
      OutboxSettings settings,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    assertConfirmsAndReturns(rabbit);
    return new OutboxRelay(jdbc, transactions, rabbit, codec, settings, clock, tracing, meters);
  }

  @Bean
  Outbox outbox(
      JdbcClient jdbc, JsonMapper json, Clock clock, JobTracing tracing, @Lazy OutboxRelay relay) {
    return new Outbox(jdbc, json, clock, tracing, relay::wake);
  }

  @Bean
  ServiceGauges serviceGauges(
      ObjectProvider<HealthEndpoint> health,
      AmqpAdmin amqp,
      MessagingSettings settings,
      MeterRegistry meters) {
    return new ServiceGauges(health, amqp, settings, meters);
  }

  @Bean
  Usage usage(JdbcClient jdbc, Clock clock) {
    return new Usage(jdbc, clock);
  }

  @Bean
  EditJobRows editJobRows(JsonMapper json) {
    return new EditJobRows(json);
  }

  @Bean
  EditJobs editJobs(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Outbox outbox,
      Usage usage,
      ClientWebhooks webhooks,
      EditJobRows rows,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    return new EditJobs(jdbc, transactions, outbox, usage, webhooks, rows, clock, tracing, meters);
  }

  @Bean
  StuckJobs stuckJobs(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Outbox outbox,
      EditJobRows rows,
      Clock clock) {
    return new StuckJobs(jdbc, transactions, outbox, rows, clock);
  }

  @Bean
  FalWaitRoom falWaitRoom(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
    return new FalWaitRoom(jdbc, clock, meters);
  }

  @Bean
  ClientWebhooks clientWebhooks(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
    return new ClientWebhooks(jdbc, transactions, clock);
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
        rabbit.isMandatoryFor(new org.springframework.amqp.core.Message(new byte[0])),
        "editflow needs spring.rabbitmq.template.mandatory=true");
  }
}
