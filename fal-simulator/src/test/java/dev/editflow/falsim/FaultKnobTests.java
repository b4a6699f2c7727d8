package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FaultKnobTests extends SimulatorTestSupport {

  @Test
  void flipsHttpFaultsAtRuntime() {
    JsonNode submitted = submit(NANO, editInput("flaky"));
    String statusUrl = submitted.get("status_url").asString();

    settings("{\"faults\":{\"status\":{\"http503\":1.0}}}");
    Response failing = call("GET", statusUrl, null);
    assertThat(failing.status()).isEqualTo(503);
    assertThat(failing.header("x-fal-request-id")).isEmpty();
    assertThat(failing.text()).contains("nginx");

    settings("{\"faults\":{\"status\":{\"http503\":0}}}");
    assertThat(call("GET", statusUrl, null).status()).isIn(200, 202);
  }

  @Test
  void answers429WithRetryAfter() {
    settings("{\"faults\":{\"submit\":{\"http429\":1.0,\"retry-after\":\"3s\"}}}");

    Response response = call("POST", "/" + NANO, editInput("throttled"));

    assertThat(response.status()).isEqualTo(429);
    assertThat(response.header("Retry-After")).contains("3");
  }

  @Test
  void countsCallsPerEndpointAndStatus() {
    JsonNode submitted = submit(NANO, editInput("counted"));
    settings("{\"faults\":{\"status\":{\"http500\":1.0}}}");
    call("GET", submitted.get("status_url").asString(), null);
    call("GET", submitted.get("status_url").asString(), null);
    callRaw("GET", submitted.get("status_url").asString(), null);

    JsonNode counters = call("GET", "/_sim/counters", null).json();
    assertThat(counters.get("submit").get("200").asLong()).isEqualTo(1);
    assertThat(counters.get("status").get("500").asLong()).isEqualTo(3);

    String prometheus = call("GET", "/actuator/prometheus", null).text();
    assertThat(prometheus).contains("falsim_requests_total{").contains("endpoint=\"status\"");
    assertThat(prometheus).containsPattern("falsim_requests_total\\{.*status=\"500\".*\\} [1-9]");
  }

  @Test
  void rejectsContentByPolicy() {
    settings("{\"faults\":{\"content-policy\":1.0}}");
    JsonNode submitted = submit(NANO, editInput("forbidden"));

    assertThat(awaitCompleted(submitted).get("error_type").asString())
        .isEqualTo("content_policy_violation");
    Response result = result(submitted);
    assertThat(result.status()).isEqualTo(422);
    assertThat(result.json().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"body\",\"prompt\"]");
  }

  @Test
  void leavesStuckJobsInProgress() {
    settings("{\"faults\":{\"stuck\":1.0}}");
    JsonNode submitted = submit(NANO, editInput("stuck"));

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> {
              String state =
                  call("GET", submitted.get("status_url").asString(), null)
                      .json()
                      .get("status")
                      .asString();
              return !"COMPLETED".equals(state);
            });
    assertThat(call("GET", "/_sim/stats", null).json().get("in_progress").asInt()).isEqualTo(1);
  }

  @Test
  void expiresMediaPerLifecyclePreference() {
    JsonNode submitted =
        submit(
            NANO,
            editInput("short lived"),
            "X-Fal-Object-Lifecycle-Preference",
            "{\"expiration_duration_seconds\": 1}");
    awaitCompleted(submitted);
    String url = result(submitted).json().get("images").get(0).get("url").asString();

    assertThat(callRaw("GET", url, null).status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> callRaw("GET", url, null).status() == 404);
  }

  @Test
  void truncatesMediaDownloads() {
    settings("{\"output\":{\"min-file-size\":\"200KB\"},\"media\":{\"truncate-at-percent\":50}}");
    JsonNode submitted = submit(NANO, editInput("cut short"));
    awaitCompleted(submitted);
    String url = result(submitted).json().get("images").get(0).get("url").asString();

    assertThatThrownBy(() -> callRaw("GET", url, null)).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void padsOutputsToTheConfiguredSize() {
    settings("{\"output\":{\"min-file-size\":\"3MB\",\"noise\":40}}");
    JsonNode submitted =
        submit(NANO, editInput("big", "\"num_images\":2", "\"output_format\":\"jpeg\""));
    awaitCompleted(submitted);

    JsonNode images = result(submitted).json().get("images");
    for (JsonNode image : images) {
      assertThat(image.get("file_size").asLong()).isGreaterThanOrEqualTo(3L * 1024 * 1024);
      byte[] bytes = callRaw("GET", image.get("url").asString(), null).raw().body();
      assertThat(bytes.length).isEqualTo(image.get("file_size").asInt());
      assertThat(decode(bytes).getWidth()).isEqualTo(64);
    }
  }

  @Test
  void listsSubmissionsSoDuplicatesCanBeCounted() {
    submit(NANO, editInput("twice"));
    submit(NANO, editInput("twice"));
    submit(NANO, editInput("once"));

    JsonNode twice = call("GET", "/_sim/requests?prompt=twice", null).json();
    assertThat(twice.size()).isEqualTo(2);
    assertThat(twice.get(0).get("model").asString()).isEqualTo(NANO);
    assertThat(call("GET", "/_sim/requests", null).json().size()).isEqualTo(3);
  }

  @Test
  void showsAndValidatesSettings() {
    JsonNode settings = call("GET", "/_sim/settings", null).json();
    assertThat(settings.get("concurrency-limit").asInt()).isEqualTo(2);
    assertThat(settings.get("timing").get("processing-min").asString()).isEqualTo("300ms");

    assertThat(call("PUT", "/_sim/settings", "{\"no-such-knob\":1}").status()).isEqualTo(400);
    settings("{\"timing\":{\"processing-min\":\"1s\"}}");
    JsonNode changed = call("GET", "/_sim/settings", null).json();
    assertThat(changed.get("timing").get("processing-min").asString()).isEqualTo("1s");
    assertThat(changed.get("timing").get("processing-max").asString()).isEqualTo("300ms");
  }
}
