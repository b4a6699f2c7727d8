package dev.editflow.benchmarks;

import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.JobStoreConfiguration;
import dev.editflow.messaging.MessagingConfiguration;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The job store inside the benchmark JVM, wired as the services wire it (its outbox relay publishes
 * with confirms): bulk jobs for B3, {@code EditCompleted} through {@code Transition.Archiving} for
 * B4.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({JobStoreConfiguration.class, MessagingConfiguration.class})
class JobStore {

  private static ConfigurableApplicationContext context;

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }

  static synchronized EditJobs editJobs() {
    if (context == null) {
      TestPostgres postgres = TestPostgres.get();
      TestRabbit rabbit = TestRabbit.get();
      Map<String, Object> properties = new HashMap<>();
      properties.put("spring.application.name", "benchmarks");
      properties.put("spring.datasource.url", postgres.jdbcUrl());
      properties.put("spring.datasource.username", postgres.username());
      properties.put("spring.datasource.password", postgres.password());
      properties.put("spring.datasource.hikari.maximum-pool-size", 20);
      properties.put("spring.rabbitmq.host", rabbit.host());
      properties.put("spring.rabbitmq.port", rabbit.port());
      properties.put("spring.rabbitmq.virtual-host", rabbit.virtualHost());
      properties.put("spring.rabbitmq.publisher-confirm-type", "correlated");
      properties.put("spring.rabbitmq.publisher-returns", true);
      properties.put("spring.rabbitmq.template.mandatory", true);
      properties.put("spring.main.register-shutdown-hook", true);
      context =
          new SpringApplicationBuilder(JobStore.class)
              .web(WebApplicationType.NONE)
              .bannerMode(Banner.Mode.OFF)
              .properties(properties)
              .run();
    }
    return context.getBean(EditJobs.class);
  }

  static synchronized void close() {
    if (context != null) {
      context.close();
      context = null;
    }
  }
}
