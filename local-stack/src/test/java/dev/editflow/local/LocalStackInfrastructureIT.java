package dev.editflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.stack.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The local stack's embedded parts, as the run command starts them: PostgreSQL answers SQL and
 * keeps its data across a restart, S3 enforces presigned uploads and keeps objects, and the AMQP
 * broker confirms publishes and delivers to a manual-ack consumer.
 */
class LocalStackInfrastructureIT {

  @TempDir Path dataDir;

  @Test
  void startsEmbeddedPartsThatWorkAndKeepTheirDataAcrossARestart() throws Exception {
    LocalSettings settings = settings();

    try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(settings)) {
      try (Connection db = DriverManager.getConnection(infrastructure.jdbcUrl())) {
        db.createStatement().execute("create table kept (value text)");
        db.createStatement().execute("insert into kept values ('survives')");
      }
      URI upload = presignedPut(settings, "kept.png", "image/png", 4);
      assertThat(put(upload, "image/png", "abcd")).isEqualTo(200);
      assertThat(put(presignedPut(settings, "x.png", "image/png", 4), "text/html", "abcd"))
          .as("a content type the URL was not signed for")
          .isEqualTo(403);
      assertBrokerConfirmsAndDelivers(settings.amqpPort());
    }

    try (EmbeddedInfrastructure restarted = EmbeddedInfrastructure.start(settings)) {
      try (Connection db = DriverManager.getConnection(restarted.jdbcUrl());
          ResultSet rs = db.createStatement().executeQuery("select value from kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("survives");
      }
      HttpResponse<String> object =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(presignedGet(settings, "kept.png")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(object.statusCode()).isEqualTo(200);
      assertThat(object.body()).isEqualTo("abcd");
    }
  }

  private void assertBrokerConfirmsAndDelivers(int port) throws Exception {
    CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", port);
    connections.setUsername("guest");
    connections.setPassword("guest");
    connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    try {
      new RabbitAdmin(connections).declareQueue(new Queue("local-test", true));
      RabbitTemplate template = new RabbitTemplate(connections);
      CorrelationData correlation = new CorrelationData("1");
      template.send(
          "",
          "local-test",
          new Message("hello".getBytes(StandardCharsets.UTF_8), new MessageProperties()),
          correlation);
      assertThat(correlation.getFuture().get(10, java.util.concurrent.TimeUnit.SECONDS).ack())
          .isTrue();
      Boolean acked =
          template.execute(
              channel -> {
                var response = channel.basicGet("local-test", false);
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                return "hello".equals(new String(response.getBody(), StandardCharsets.UTF_8));
              });
      assertThat(acked).isTrue();
    } finally {
      connections.destroy();
    }
  }

  private LocalSettings settings() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("EDITFLOW_DATA_DIR", dataDir.toString());
    env.put("EDITFLOW_POSTGRES_PORT", String.valueOf(ServiceProcess.freePort()));
    env.put("EDITFLOW_S3_PORT", String.valueOf(ServiceProcess.freePort()));
    env.put("EDITFLOW_AMQP_PORT", String.valueOf(ServiceProcess.freePort()));
    return LocalSettings.from(env);
  }

  private static S3Presigner presigner(LocalSettings settings) {
    return S3Presigner.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + settings.s3Port()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.s3AccessKey(), settings.s3SecretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  private static URI presignedPut(LocalSettings settings, String key, String type, long length)
      throws Exception {
    try (S3Presigner presigner = presigner(settings)) {
      return presigner
          .presignPutObject(
              r ->
                  r.signatureDuration(Duration.ofMinutes(5))
                      .putObjectRequest(
                          p ->
                              p.bucket(LocalSettings.BUCKET)
                                  .key(key)
                                  .contentType(type)
                                  .contentLength(length)))
          .url()
          .toURI();
    }
  }

  private static URI presignedGet(LocalSettings settings, String key) throws Exception {
    try (S3Presigner presigner = presigner(settings)) {
      return presigner
          .presignGetObject(
              r ->
                  r.signatureDuration(Duration.ofMinutes(5))
                      .getObjectRequest(g -> g.bucket(LocalSettings.BUCKET).key(key)))
          .url()
          .toURI();
    }
  }

  private static int put(URI url, String type, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(url)
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
