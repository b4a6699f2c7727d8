package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the simulator on a random port with fast timings (one shared context for all test
 * classes), resets it before each test and offers plain java.net.http calls against it.
 */
@SpringBootTest(
    classes = FalSimulatorApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:fast-simulator.properties")
abstract class SimulatorTestSupport {

  static final String KEY = "test-key:secret";
  static final String NANO = "fal-ai/nano-banana/edit";
  static final String PRO = "fal-ai/nano-banana-pro/edit";
  static final String KONTEXT = "fal-ai/flux-pro/kontext";

  static final LocalHttpFixture outside = new LocalHttpFixture();
  static final JsonMapper json = JsonMapper.builder().build();
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort int port;

  @BeforeEach
  void resetSimulator() {
    assertThat(call("POST", "/_sim/reset", "").status()).isEqualTo(200);
    outside.clear();
  }

  /** A response with its body as text. */
  record Response(int status, HttpResponse<byte[]> raw) {
    String text() {
      return new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return SimulatorTestSupport.json.readTree(raw.body());
    }

    Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Calls the simulator with a valid key; {@code headers} are name/value pairs. */
  Response call(String method, String pathOrUrl, @Nullable String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Key " + KEY;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return callRaw(method, pathOrUrl, body, all);
  }

  /** Calls the simulator with exactly the given headers (no key unless given). */
  Response callRaw(String method, String pathOrUrl, @Nullable String body, String... headers) {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl() + pathOrUrl;
    var builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Changes knobs through the admin API, e.g. {@code settings("{\"concurrency-limit\":1}")}. */
  void settings(String patch) {
    Response response = call("PUT", "/_sim/settings", patch);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }

  /** Submits and returns the submit response (asserting HTTP 200). */
  JsonNode submit(String model, String input, String... headers) {
    Response response = call("POST", "/" + model, input, headers);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  String editInput(String prompt, String... extraFields) {
    String extra = extraFields.length == 0 ? "" : "," + String.join(",", extraFields);
    return "{\"prompt\":\""
        + prompt
        + "\",\"image_urls\":[\""
        + outside.imageUrl(80, 60, "png")
        + "\"]"
        + extra
        + "}";
  }

  /** Polls the submit response's status_url until COMPLETED; returns the final status. */
  JsonNode awaitCompleted(JsonNode submitted) {
    String statusUrl = submitted.get("status_url").asString();
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(25))
        .until(
            () -> call("GET", statusUrl, null),
            r -> r.status() == 200 && "COMPLETED".equals(r.json().get("status").asString()))
        .json();
  }

  Response result(JsonNode submitted) {
    return call("GET", submitted.get("response_url").asString(), null);
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(image).as("decodable image").isNotNull();
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
