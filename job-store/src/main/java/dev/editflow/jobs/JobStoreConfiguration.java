package dev.editflow.jobs;

import dev.editflow.jobs.migration.MigrationConfiguration;
import dev.editflow.jobs.monitoring.MonitoringSettings;
import dev.editflow.jobs.monitoring.ReadinessGauge;
import dev.editflow.jobs.monitoring.UntracedActuator;
import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.webhook.ClientWebhooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the job store and the writing half of the outbox into a service: import it with
 * {@code @Import(JobStoreConfiguration.class)}, next to {@code MessagingConfiguration} from {@code
 * job-messaging}, which relays the outbox and brings the broker plumbing.
 */
@Configuration(proxyBeanMethods = false)
@Import({MigrationConfiguration.class, UntracedActuator.class})
@EnableConfigurationProperties(MonitoringSettings.class)
public class JobStoreConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Micrometer Tracing's tracer where the service has one, a no-op one otherwise. */
  @Bean
  JobTracing jobTracing(ObjectProvider<Tracer> tracer) {
    return new JobTracing(tracer.getIfAvailable(() -> Tracer.NOOP));
  }

  /** The relay comes with job-messaging; without it (the job store's own tests) rows just wait. */
  @Bean
  Outbox outbox(
      JdbcClient jdbc,
      JsonMapper json,
      Clock clock,
      JobTracing tracing,
      ObjectProvider<Outbox.Relay> relay) {
    return new Outbox(jdbc, json, clock, tracing, () -> relay.ifAvailable(Outbox.Relay::wake));
  }

  @Bean
  ReadinessGauge readinessGauge(ObjectProvider<HealthEndpoint> health, MeterRegistry meters) {
    return new ReadinessGauge(health, meters);
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
}
