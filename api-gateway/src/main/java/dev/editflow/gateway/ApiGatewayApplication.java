package dev.editflow.gateway;

import dev.editflow.jobs.JobStoreConfiguration;
import dev.editflow.messaging.MessagingConfiguration;
import dev.editflow.storage.ObjectStoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({JobStoreConfiguration.class, MessagingConfiguration.class, ObjectStoreConfiguration.class})
public class ApiGatewayApplication {

  public static void main(String[] args) {
    SpringApplication.run(ApiGatewayApplication.class, args);
  }
}
