package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class QueueControlTests extends SimulatorTestSupport {

  @Test
  void endsRequestsThatWaitLongerThanTheStartTimeout() {
    settings("{\"timing\":{\"queue-wait-min\":\"3s\",\"queue-wait-max\":\"3s\"}}");
    JsonNode submitted = submit(NANO, editInput("too slow"), "X-Fal-Request-Start-Timeout", "0.5");

    JsonNode status = awaitCompleted(submitted);
    assertThat(status.get("error_type").asString()).isEqualTo("request_timeout");
    Response result = result(submitted);
    assertThat(result.status()).isEqualTo(504);
    assertThat(result.header("X-Fal-Request-Timeout-Type")).contains("user");
    assertThat(result.json().get("error_type").asString()).isEqualTo("request_timeout");
  }

  @Test
  void honoursTheDeprecatedTimeoutHeader() {
    settings("{\"timing\":{\"queue-wait-min\":\"3s\",\"queue-wait-max\":\"3s\"}}");
    JsonNode submitted = submit(NANO, editInput("old header"), "X-Fal-Request-Timeout", "0.5");

    assertThat(awaitCompleted(submitted).get("error_type").asString()).isEqualTo("request_timeout");
  }

  @Test
  void answers429WithRetryAfterOnceTheQueueHoldsMaxQueuedRequests() {
    settings("{\"max-queued\":2,\"timing\":{\"queue-wait-min\":\"3s\",\"queue-wait-max\":\"3s\"}}");
    List<JsonNode> queued = List.of(submit(NANO, editInput("one")), submit(NANO, editInput("two")));

    Response refused = call("POST", "/" + NANO, editInput("three"));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).contains("1");
    queued.forEach(this::awaitCompleted);
    assertThat(call("POST", "/" + NANO, editInput("after")).status()).isEqualTo(200);
  }

  @Test
  void queuesBeyondTheConcurrencyLimitWithPositions() {
    settings(
        "{\"concurrency-limit\":2,\"timing\":{\"queue-wait-min\":\"0ms\",\"queue-wait-max\":\"0ms\","
            + "\"processing-min\":\"1500ms\",\"processing-max\":\"1500ms\"}}");
    List<JsonNode> submitted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      submitted.add(submit(NANO, editInput("job " + i)));
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              List<String> states = new ArrayList<>();
              List<Integer> positions = new ArrayList<>();
              for (JsonNode job : submitted) {
                JsonNode status = call("GET", job.get("status_url").asString(), null).json();
                states.add(status.get("status").asString());
                if (status.has("queue_position")) {
                  positions.add(status.get("queue_position").asInt());
                }
              }
              assertThat(states)
                  .containsExactly(
                      "IN_PROGRESS", "IN_PROGRESS", "IN_QUEUE", "IN_QUEUE", "IN_QUEUE");
              assertThat(positions).containsExactly(0, 1, 2);
            });
    assertThat(call("GET", "/_sim/stats", null).json().get("in_progress").asInt()).isEqualTo(2);
    submitted.forEach(this::awaitCompleted);
  }

  @Test
  void putsLowPriorityRequestsBehindNormalOnes() {
    settings(
        "{\"concurrency-limit\":1,\"timing\":{\"queue-wait-min\":\"0ms\",\"queue-wait-max\":\"0ms\","
            + "\"processing-min\":\"1s\",\"processing-max\":\"1s\"}}");
    JsonNode running = submit(NANO, editInput("first"));
    await().until(() -> call("GET", "/_sim/stats", null).json().get("in_progress").asInt() == 1);
    JsonNode low = submit(NANO, editInput("low"), "X-Fal-Queue-Priority", "low");
    JsonNode normal = submit(NANO, editInput("normal"));

    assertThat(position(low)).isEqualTo(1);
    assertThat(position(normal)).isZero();
    awaitCompleted(normal);
    assertThat(call("GET", low.get("status_url").asString(), null).json().get("status").asString())
        .isNotEqualTo("COMPLETED");
    awaitCompleted(low);
    awaitCompleted(running);
  }

  @Test
  void retriesRunnerFailuresUnlessNoRetryIsSent() {
    settings("{\"faults\":{\"runner-failure\":1.0,\"runner-attempts\":3}}");
    JsonNode retried = submit(NANO, editInput("retried"));
    JsonNode notRetried = submit(NANO, editInput("not retried"), "X-Fal-No-Retry", "1");

    JsonNode retriedStatus = awaitCompleted(retried);
    JsonNode notRetriedStatus = awaitCompleted(notRetried);

    assertThat(retriedStatus.get("error_type").asString()).isEqualTo("runner_disconnected");
    assertThat(notRetriedStatus.get("error_type").asString()).isEqualTo("runner_disconnected");
    assertThat(result(retried).status()).isEqualTo(503);
    String retriedLogs =
        call("GET", retried.get("status_url").asString() + "?logs=1", null).json().toString();
    String notRetriedLogs =
        call("GET", notRetried.get("status_url").asString() + "?logs=1", null).json().toString();
    assertThat(retriedLogs).contains("attempt 3");
    assertThat(notRetriedLogs).contains("attempt 1").doesNotContain("attempt 2");
  }

  @Test
  void shortensResultRetentionWithoutStoreIo() {
    settings("{\"retention\":{\"without-store-io\":\"200ms\"}}");
    JsonNode kept = submit(NANO, editInput("kept"));
    JsonNode dropped = submit(NANO, editInput("dropped"), "X-Fal-Store-IO", "0");
    awaitCompleted(kept);
    awaitCompleted(dropped);

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> result(dropped).status() == 404);
    assertThat(result(kept).status()).isEqualTo(200);
  }

  private int position(JsonNode submitted) {
    return call("GET", submitted.get("status_url").asString(), null)
        .json()
        .get("queue_position")
        .asInt();
  }
}
