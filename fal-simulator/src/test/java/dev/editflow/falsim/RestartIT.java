package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With a state directory the simulator behaves like fal when its client goes away: after a restart,
 * finished requests keep their results and output files, and unfinished ones still finish.
 */
class RestartIT {

  private static final LocalHttpFixture outside = new LocalHttpFixture();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path state;

  @AfterAll
  static void stopFixture() {
    outside.close();
  }

  private ConfigurableApplicationContext start(int port) {
    // Command-line arguments, so they win over the simulator's application.properties.
    return new SpringApplicationBuilder(FalSimulatorApplication.class)
        .run(
            "--server.port=" + port,
            "--editflow.simulator.state-dir=" + state,
            "--editflow.simulator.concurrency-limit=1",
            "--editflow.simulator.timing.queue-wait-min=0ms",
            "--editflow.simulator.timing.queue-wait-max=0ms",
            "--editflow.simulator.timing.processing-min=100ms",
            "--editflow.simulator.timing.processing-max=100ms",
            "--editflow.simulator.output.long-side=64");
  }

  @Test
  void keepsFinishedAndUnfinishedRequestsAcrossARestart() throws Exception {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    JsonNode finished;
    JsonNode waiting;
    try (ConfigurableApplicationContext first = start(port)) {
      finished = submit(base, "make it green");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(finished).get("status").asString(), "COMPLETED"::equals);
      // A long queue wait, so the next request is still waiting when the simulator goes away.
      HttpResponse<String> slower =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/_sim/settings"))
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"timing\":{\"queue-wait-min\":\"1h\",\"queue-wait-max\":\"1h\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(slower.statusCode()).as(slower.body()).isEqualTo(200);
      waiting = submit(base, "make it blue");
      assertThat(status(waiting).get("status").asString()).isEqualTo("IN_QUEUE");
    }

    try (ConfigurableApplicationContext second = start(port)) {
      JsonNode result = get(finished.get("response_url").asString());
      assertThat(result.get("images")).hasSize(1);
      HttpResponse<byte[]> file =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(result.get("images").get(0).get("url").asString()))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(file.statusCode()).as("the output file survived the restart").isEqualTo(200);
      assertThat(file.body().length)
          .isEqualTo(result.get("images").get(0).get("file_size").asInt());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(waiting).get("status").asString(), "COMPLETED"::equals);
      assertThat(get(waiting.get("response_url").asString()).get("images")).hasSize(1);
    }
  }

  private JsonNode submit(String base, String prompt) throws Exception {
    String body =
        "{\"prompt\":\""
            + prompt
            + "\",\"image_urls\":[\""
            + outside.imageUrl(40, 30, "png")
            + "\"]}";
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/fal-ai/nano-banana/edit"))
                .header("Authorization", "Key test")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode status(JsonNode submitted) throws Exception {
    return get(submitted.get("status_url").asString());
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key test").build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
