package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.testsupport.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The bounds on event streams: per user ({@code 429 TOO_MANY_STREAMS}) and per instance ({@code 503
 * OVERLOADED}, which also takes the instance out of readiness), both with {@code Retry-After}, and
 * a closed stream gives its place back. The whole burst is {@code OverloadSystemIT}.
 */
@TestPropertySource(
    properties = {
      "editflow.gateway.load.max-streams=3",
      "editflow.gateway.load.max-streams-per-user=2",
      "editflow.gateway.load.unready-after-shedding=2s"
    })
class LoadSheddingIT extends GatewayIntegrationTest {

  private final List<InputStream> open = new ArrayList<>();

  @AfterEach
  void closeStreams() throws IOException {
    for (InputStream stream : open) {
      stream.close();
    }
  }

  @Test
  void boundsEventStreamsPerUserAndPerInstance() throws Exception {
    String ann = token("ann-" + UUID.randomUUID());
    String ben = token("ben-" + UUID.randomUUID());
    String cid = token("cid-" + UUID.randomUUID());
    String annJob = job(ann);

    assertThat(stream(ann, annJob).statusCode()).isEqualTo(200);
    assertThat(stream(ann, annJob).statusCode()).isEqualTo(200);
    HttpResponse<InputStream> third = stream(ann, annJob);

    assertShed(third, 429, "TOO_MANY_STREAMS");
    assertThat(status("/actuator/health/readiness"))
        .as("one user at their bound is no reason to send traffic elsewhere")
        .isEqualTo(200);

    assertThat(stream(ben, job(ben)).statusCode()).isEqualTo(200);
    String cidJob = job(cid);
    HttpResponse<InputStream> overInstance = stream(cid, cidJob);

    assertShed(overInstance, 503, "OVERLOADED");
    assertThat(status("/actuator/health/readiness")).isEqualTo(503);
    assertThat(status("/actuator/health/liveness")).isEqualTo(200);
    String metrics = send(get("/actuator/prometheus", null)).raw().body();
    assertThat(metrics)
        .containsPattern("editflow_gateway_streams_open\\{[^}]*} 3\\.0")
        .containsPattern("editflow_gateway_shed_total\\{[^}]*reason=\"streams\"[^}]*} 1\\.0")
        .containsPattern(
            "editflow_gateway_shed_total\\{[^}]*reason=\"streams_per_user\"[^}]*} 1\\.0");

    open.removeFirst().close();
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> stream(cid, cidJob).statusCode() == 200);
    await().atMost(Duration.ofSeconds(20)).until(() -> status("/actuator/health/readiness") == 200);
  }

  private String job(String token) {
    String uploadId = upload(token, TestImages.png(20, 20), "image/png");
    return send(post(
            "/v1/edits",
            token,
            Map.of("prompt", "p", "inputs", List.of(Map.of("uploadId", uploadId)))))
        .json()
        .get("id")
        .asString();
  }

  /** Opens the job's event stream; an opened one stays open until the test ends. */
  private HttpResponse<InputStream> stream(String token, String job) throws Exception {
    HttpResponse<InputStream> response =
        HTTP.send(
            get("/v1/edits/" + job + "/events", token)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    keepIfOpened(response);
    return response;
  }

  private boolean keepIfOpened(HttpResponse<InputStream> response) throws IOException {
    if (response.statusCode() == 200) {
      open.add(response.body());
      return true;
    }
    return false;
  }

  private static void assertShed(HttpResponse<InputStream> response, int status, String code)
      throws IOException {
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(response.statusCode()).as(body).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(JSON.readTree(body).get("code").asString()).isEqualTo(code);
  }

  private int status(String path) {
    return send(get(path, null)).status();
  }
}
