package dev.editflow.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the services find PostgreSQL, RabbitMQ and S3: the embedded ones of the local stack, the
 * tests' own database and vhost, or any others.
 *
 * @param rabbitVirtualHost null to leave it to the service (the broker's default, {@code /})
 */
public record Infrastructure(
    String jdbcUrl,
    String databaseUser,
    String databasePassword,
    String rabbitHost,
    int rabbitPort,
    @Nullable String rabbitVirtualHost,
    String s3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    String s3Bucket) {

  /** The Spring properties that point a service at this infrastructure. */
  Map<String, String> properties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", jdbcUrl);
    properties.put("spring.datasource.username", databaseUser);
    properties.put("spring.datasource.password", databasePassword);
    properties.put("spring.rabbitmq.host", rabbitHost);
    properties.put("spring.rabbitmq.port", String.valueOf(rabbitPort));
    if (rabbitVirtualHost != null) {
      properties.put("spring.rabbitmq.virtual-host", rabbitVirtualHost);
    }
    properties.put("editflow.s3.endpoint", s3Endpoint);
    properties.put("editflow.s3.access-key", s3AccessKey);
    properties.put("editflow.s3.secret-key", s3SecretKey);
    properties.put("editflow.s3.bucket", s3Bucket);
    return properties;
  }
}
