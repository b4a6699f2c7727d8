package dev.editflow.worker;

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
public class EditWorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(EditWorkerApplication.class, args);
  }
}
