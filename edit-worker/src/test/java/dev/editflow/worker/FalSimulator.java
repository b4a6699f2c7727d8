package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.testsupport.Teardown;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real fal-simulator as an OS process, shared by every test class of this JVM, and its admin
 * API. It accepts only {@link #KEY}, so a passing test also proves the worker sends the key.
 */
final class FalSimulator {

  /** Recognisable, so a leak anywhere can be searched for. */
  static final String KEY = "worker-tests-key-id:" + UUID.randomUUID() + "-SECRET";

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ServiceProcess process;

  private FalSimulator() {}

  static synchronized URI baseUri() {
    if (process == null) {
      process =
          ServiceProcess.of("fal-simulator")
              .with("editflow.simulator.required-key", KEY)
              .with("editflow.simulator.timing.queue-wait-min", "100ms")
              .with("editflow.simulator.timing.queue-wait-max", "200ms")
              // Long enough for the first look (1 s after submit) to find the request running.
              .with("editflow.simulator.timing.processing-min", "1500ms")
              .with("editflow.simulator.timing.processing-max", "2000ms")
              .with("editflow.simulator.output.long-side", 128)
              .with("editflow.simulator.concurrency-limit", 20)
              // A cancelled stuck job must give its slot back, or later tests would starve.
              .with("editflow.simulator.cancel.in-progress-completes", false)
              .build()
              .start(Duration.ofSeconds(90));
      Teardown.atExit(process::stop);
    }
    return process.baseUri();
  }

  /**
   * Changes some of the simulator's knobs ({@code PUT /_sim/settings}, a partial update) until the
   * returned handle is closed, which puts back every setting as it was before: the simulator is
   * shared by all test classes, so none may leave its changes behind or guess what was there.
   */
  static ChangedSettings change(String patch) {
    String before = get("/_sim/settings").toString();
    put(patch);
    return () -> put(before);
  }

  /** Settings changed by {@link #change}; closing restores the earlier ones. */
  interface ChangedSettings extends AutoCloseable {
    @Override
    void close();
  }

  private static void put(String json) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(baseUri().resolve("/_sim/settings"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** The submissions fal received with this prompt. */
  static JsonNode requests(String prompt) {
    return get("/_sim/requests?prompt=" + URLEncoder.encode(prompt, StandardCharsets.UTF_8));
  }

  static int submissions(String prompt) {
    return requests(prompt).size();
  }

  /** The one submission with this prompt. */
  static JsonNode request(String prompt) {
    JsonNode requests = requests(prompt);
    assertThat(requests.size()).as("fal requests for " + prompt).isEqualTo(1);
    return requests.get(0);
  }

  /** Calls answered by the simulator since it started, by endpoint and HTTP status. */
  static long calls(String endpoint, String status) {
    return get("/_sim/counters").path(endpoint).path(status).asLong(0);
  }

  /** Calls of an endpoint since the simulator started, whatever their status. */
  static long calls(String endpoint) {
    long total = 0;
    for (JsonNode count : get("/_sim/counters").path(endpoint)) {
      total += count.asLong();
    }
    return total;
  }

  private static JsonNode get(String path) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(baseUri().resolve(path)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("The fal-simulator did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
