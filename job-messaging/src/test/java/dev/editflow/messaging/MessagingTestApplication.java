package dev.editflow.messaging;

import dev.editflow.jobs.JobStoreConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The job store with its broker side; the services get their meter registry from actuator. */
@SpringBootApplication
@Import({JobStoreConfiguration.class, MessagingConfiguration.class})
class MessagingTestApplication {

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }
}
