package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CancelTests extends SimulatorTestSupport {

  @Test
  void removesQueuedRequests() {
    settings("{\"timing\":{\"queue-wait-min\":\"5s\",\"queue-wait-max\":\"5s\"}}");
    JsonNode submitted = submit(NANO, editInput("cancel me early"));

    Response cancel = call("PUT", submitted.get("cancel_url").asString(), null);

    assertThat(cancel.status()).isEqualTo(200);
    assertThat(cancel.json().get("status").asString()).isEqualTo("OK");
    JsonNode status = awaitCompleted(submitted);
    assertThat(status.get("error_type").asString()).isEqualTo("request_cancelled");
    assertThat(
            call("GET", "/_sim/requests?prompt=cancel%20me%20early", null)
                .json()
                .get(0)
                .get("started_at")
                .isNull())
        .isTrue();
  }

  @Test
  void asksRunningRequestsToStopAndLetsThemComplete() {
    settings("{\"timing\":{\"processing-min\":\"1s\",\"processing-max\":\"1s\"}}");
    JsonNode submitted = submit(NANO, editInput("cancel me late"));
    awaitState(submitted, "IN_PROGRESS");

    Response cancel = call("PUT", submitted.get("cancel_url").asString(), null);

    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.json().get("status").asString()).isEqualTo("CANCELLATION_REQUESTED");
    awaitCompleted(submitted);
    assertThat(result(submitted).status()).isEqualTo(200);
  }

  @Test
  void stopsRunningRequestsWhenConfigured() {
    settings(
        "{\"cancel\":{\"in-progress-completes\":false},"
            + "\"timing\":{\"processing-min\":\"5s\",\"processing-max\":\"5s\"}}");
    JsonNode submitted = submit(NANO, editInput("stop me"));
    awaitState(submitted, "IN_PROGRESS");

    assertThat(call("PUT", submitted.get("cancel_url").asString(), null).status()).isEqualTo(202);

    JsonNode status = call("GET", submitted.get("status_url").asString(), null).json();
    assertThat(status.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(result(submitted).status()).isEqualTo(400);
  }

  @Test
  void refusesCompletedAndUnknownRequests() {
    JsonNode submitted = submit(NANO, editInput("done already"));
    awaitCompleted(submitted);

    Response completed = call("PUT", submitted.get("cancel_url").asString(), null);
    assertThat(completed.status()).isEqualTo(400);
    assertThat(completed.json().get("status").asString()).isEqualTo("ALREADY_COMPLETED");
    Response unknown = call("PUT", "/fal-ai/nano-banana/requests/unknown/cancel", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("status").asString()).isEqualTo("NOT_FOUND");
  }

  @Test
  void answersEveryCancelWith200WhenConfigured() {
    settings("{\"cancel\":{\"always-ok\":true}}");

    Response unknown = call("PUT", "/fal-ai/nano-banana/requests/unknown/cancel", null);

    assertThat(unknown.status()).isEqualTo(200);
    assertThat(unknown.json().get("status").asString()).isEqualTo("NOT_FOUND");
  }

  private void awaitState(JsonNode submitted, String state) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                call("GET", submitted.get("status_url").asString(), null)
                    .json()
                    .get("status")
                    .asString()
                    .equals(state));
  }
}
