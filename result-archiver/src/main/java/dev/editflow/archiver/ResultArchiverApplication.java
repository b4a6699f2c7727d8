package dev.editflow.archiver;

import dev.editflow.jobs.JobStoreConfiguration;
import dev.editflow.messaging.MessagingConfiguration;
import dev.editflow.storage.ObjectStoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The result-archiver service: copies fal's outputs into our bucket and finishes jobs. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({JobStoreConfiguration.class, MessagingConfiguration.class, ObjectStoreConfiguration.class})
public class ResultArchiverApplication {

  public static void main(String[] args) {
    SpringApplication.run(ResultArchiverApplication.class, args);
  }
}
