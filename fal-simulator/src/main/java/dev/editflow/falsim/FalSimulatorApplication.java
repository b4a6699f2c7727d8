package dev.editflow.falsim;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the fal simulator: {@code java -jar fal-simulator.jar --server.port=8090}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FalSimulatorApplication {

  private static final String CONNECTION_POOL_SIZE = "jdk.httpclient.connectionPoolSize";

  public static void main(String[] args) {
    // The JDK client reuses pooled connections round-robin, so under steady use its pool never
    // shrinks from the largest burst (input downloads, webhooks); fal's runners fetch from many
    // machines anyway. Read once, before the first client is built.
    if (System.getProperty(CONNECTION_POOL_SIZE) == null) {
      System.setProperty(CONNECTION_POOL_SIZE, "8");
    }
    SpringApplication.run(FalSimulatorApplication.class, args);
  }
}
