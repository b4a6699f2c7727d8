package dev.editflow.falsim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.editflow.fal.FalCallFailed;
import dev.editflow.fal.FalClient;
import dev.editflow.fal.FalClientSettings;
import dev.editflow.fal.FalKey;
import dev.editflow.fal.FalStatus;
import dev.editflow.falsim.FalSimulatorApplication;
import dev.editflow.model.FalRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our fal client against a real fal-simulator on a random port, over real HTTP. The simulator runs
 * with fast timings (the same as the simulator's own tests, so the context is shared) and is reset
 * before each test; knobs are flipped through its admin API, and its traffic counters show what
 * reached it, retries included.
 */
@SpringBootTest(
    classes = FalSimulatorApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:fast-simulator.properties")
abstract class SimulatorBackedTests {

  static final String SECRET = "client-test-id:client-test-secret";
  static final String PRO = "fal-ai/nano-banana-pro/edit";
  static final String KONTEXT = "fal-ai/flux-pro/kontext";
  static final JsonMapper json = JsonMapper.builder().build();
  static final OutsideWorld outside = new OutsideWorld();
  private static final HttpClient admin = HttpClient.newHttpClient();

  @LocalServerPort int port;

  /** Every HTTP exchange the client reported: {@code "operation status outcome"}. */
  final List<String> calls = new CopyOnWriteArrayList<>();

  FalClient fal;

  @BeforeEach
  void resetSimulatorAndClient() {
    assertThat(send("POST", "/_sim/reset", "").statusCode()).isEqualTo(200);
    outside.clear();
    calls.clear();
    fal = client(3);
  }

  /** A client whose first retry waits 300 ms (±25 %), long enough to flip a knob meanwhile. */
  FalClient client(int maxRetries) {
    return new FalClient(
        new FalClientSettings(
            URI.create(baseUrl()),
            FalKey.of(SECRET),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            maxRetries,
            Duration.ofMillis(300),
            Duration.ofSeconds(2)),
        json,
        (operation, outcome, status, duration) ->
            calls.add(operation + " " + status + " " + outcome));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Changes simulator knobs, e.g. {@code settings("{\"concurrency-limit\":1}")}. */
  void settings(String patch) {
    HttpResponse<String> response = send("PUT", "/_sim/settings", patch);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** How many calls to an endpoint (submit, status, result, cancel) the simulator answered so. */
  long served(String endpoint, int status) {
    JsonNode counters = json.readTree(send("GET", "/_sim/counters", null).body());
    return counters.path(endpoint).path(Integer.toString(status)).asLong(0);
  }

  JsonNode submissions() {
    return json.readTree(send("GET", "/_sim/requests", null).body());
  }

  Map<String, Object> editInput(String prompt) {
    return Map.of("prompt", prompt, "image_urls", List.of(outside.imageUrl()));
  }

  FalStatus awaitState(FalRequest request, FalStatus.State state) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fal.status(request).join(), status -> status.state() == state);
  }

  static FalCallFailed failure(CompletableFuture<?> call) {
    Throwable thrown = catchThrowable(call::join);
    assertThat(thrown).isInstanceOf(CompletionException.class);
    assertThat(thrown.getCause()).isInstanceOf(FalCallFailed.class);
    return (FalCallFailed) thrown.getCause();
  }

  HttpResponse<String> send(String method, String pathOrUrl, String body) {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl() + pathOrUrl;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return admin.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
