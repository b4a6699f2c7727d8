package dev.editflow.falsim;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the fal simulator: {@code java -jar fal-simulator.jar --server.port=8090}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FalSimulatorApplication {

  public static void main(String[] args) {
    SpringApplication.run(FalSimulatorApplication.class, args);
  }
}
