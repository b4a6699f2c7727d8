package dev.editflow.falsim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.fal.FalCallFailed;
import dev.editflow.fal.FalImage;
import dev.editflow.fal.FalResult;
import dev.editflow.fal.FalStatus;
import dev.editflow.fal.SubmitOptions;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Submit, status and result through our client: the success path, every error class, retries. */
class FalClientAgainstSimulatorTests extends SimulatorBackedTests {

  @Test
  void editsAnImageFromSubmitToResult() {
    FalRequest request =
        fal.submit(
                PRO,
                editInput("make the sky purple"),
                new SubmitOptions(Duration.ofMinutes(5), false, Duration.ofHours(1), null))
            .join();

    assertThat(request.statusUrl())
        .isEqualTo(
            baseUrl() + "/fal-ai/nano-banana-pro/requests/" + request.requestId() + "/status");
    assertThat(request).isEqualTo(fal.refFor(PRO, request.requestId()));
    assertThat(fal.status(request).join().state())
        .isIn(FalStatus.State.IN_QUEUE, FalStatus.State.IN_PROGRESS);
    FalStatus completed = awaitState(request, FalStatus.State.COMPLETED);
    assertThat(completed.error()).isNull();
    assertThat(completed.inferenceSeconds()).isPositive();

    FalResult result = fal.result(request).join();

    assertThat(result.images()).hasSize(1);
    FalImage image = result.images().getFirst();
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.width()).isEqualTo(64);
    assertThat(image.height()).isEqualTo(48);
    var download = send("GET", image.url(), null);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(image.fileSize()).isPositive();
    assertThat(calls).first().isEqualTo("submit 200 ok");
    assertThat(calls).last().isEqualTo("result 200 ok");
  }

  @Test
  void followsTheStatusStreamUntilCompleted() {
    FalRequest request = fal.submit(PRO, editInput("streamed"), SubmitOptions.none()).join();
    java.util.List<FalStatus.State> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    FalStatus last = fal.streamStatus(request, status -> seen.add(status.state())).join();

    assertThat(last.state()).isEqualTo(FalStatus.State.COMPLETED);
    assertThat(seen).last().isEqualTo(FalStatus.State.COMPLETED);
    assertThat(fal.result(request).join().images()).hasSize(1);
  }

  @Test
  void buildsTheSameUrlsAsFalForAModelWithAPath() {
    FalRequest request =
        fal.submit(
                KONTEXT,
                Map.of("prompt", "warmer", "image_url", outside.imageUrl()),
                SubmitOptions.none())
            .join();

    assertThat(request.responseUrl()).contains("/fal-ai/flux-pro/requests/");
    assertThat(request).isEqualTo(fal.refFor(KONTEXT, request.requestId()));
    awaitState(request, FalStatus.State.COMPLETED);
    assertThat(fal.result(request).join().images()).isNotEmpty();
  }

  @Test
  void asksFalToDeleteOutputsAfterTheRequestedLifetime() {
    FalRequest request =
        fal.submit(
                PRO,
                editInput("short-lived"),
                new SubmitOptions(null, false, Duration.ofSeconds(1), null))
            .join();
    awaitState(request, FalStatus.State.COMPLETED);
    String url = fal.result(request).join().images().getFirst().url();

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> send("GET", url, null).statusCode() == 404);
  }

  @Test
  void reportsInvalidInputAsRejectedWithoutRetrying() {
    FalRequest request =
        fal.submit(PRO, Map.of("prompt", "no images"), SubmitOptions.none()).join();
    FalStatus completed = awaitState(request, FalStatus.State.COMPLETED);

    FalCallFailed failed = failure(fal.result(request));

    assertThat(completed.errorType()).isNotNull();
    assertThat(failed.code()).isEqualTo(ErrorCode.INPUT_REJECTED);
    assertThat(failed.httpStatus()).isEqualTo(422);
    assertThat(failed.retryable()).isFalse();
    assertThat(served("result", 422)).isEqualTo(1);
  }

  @Test
  void reportsInvalidInputRejectedAtSubmit() {
    settings("{\"validation\":\"SUBMIT\"}");

    FalCallFailed failed = failure(fal.submit(PRO, Map.of("prompt", "x"), SubmitOptions.none()));

    assertThat(failed.code()).isEqualTo(ErrorCode.INPUT_REJECTED);
    assertThat(served("submit", 422)).isEqualTo(1);
    assertThat(submissions()).isEmpty();
  }

  @Test
  void reportsAContentPolicyViolation() {
    settings("{\"faults\":{\"content-policy\":1}}");

    FalCallFailed failed = resultFailureOf(editInput("something forbidden"));

    assertThat(failed.code()).isEqualTo(ErrorCode.CONTENT_POLICY);
    assertThat(failed.falErrorType()).isEqualTo("content_policy_violation");
    assertThat(served("result", 422)).isEqualTo(1);
  }

  @Test
  void reportsAnInputFalCouldNotDownload() {
    FalCallFailed failed =
        resultFailureOf(Map.of("prompt", "x", "image_urls", List.of(outside.missingImageUrl())));

    assertThat(failed.code()).isEqualTo(ErrorCode.INPUT_UNREACHABLE);
    assertThat(failed.retryable()).as("a new attempt presigns the inputs afresh").isTrue();
  }

  @Test
  void reportsARejectedKeyOnceAndWithoutTheKey() {
    settings("{\"required-key\":\"another-key\"}");

    FalCallFailed failed = failure(fal.submit(PRO, editInput("x"), SubmitOptions.none()));

    assertThat(failed.code()).isEqualTo(ErrorCode.PROVIDER_REJECTED_CREDENTIALS);
    assertThat(failed.httpStatus()).isEqualTo(401);
    assertThat(failed.getMessage()).doesNotContain("client-test");
    assertThat(served("submit", 401)).isEqualTo(1);
  }

  @Test
  void waitsOutA429AtSubmitAsFalsRetryAfterSays() {
    settings("{\"faults\":{\"submit\":{\"http429\":1,\"retry-after\":\"1s\"}}}");
    long started = System.nanoTime();
    CompletableFuture<FalRequest> submitted =
        fal.submit(PRO, editInput("busy"), SubmitOptions.none());
    await().atMost(Duration.ofSeconds(5)).until(() -> served("submit", 429) == 1);
    settings("{\"faults\":{\"submit\":{\"http429\":0}}}");

    FalRequest request = submitted.join();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(900));
    assertThat(calls).containsExactly("submit 429 QUOTA_EXCEEDED", "submit 200 ok");
    assertThat(served("submit", 200)).isEqualTo(1);
    assertThat(submissions()).hasSize(1);
    assertThat(submissions().get(0).get("request_id").asString()).isEqualTo(request.requestId());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "submit, 503, PROVIDER_UNAVAILABLE",
    "status, 502, PROVIDER_UNAVAILABLE",
    "status, 500, PROVIDER_UNAVAILABLE",
    "result, 504, PROVIDER_UNAVAILABLE",
    "result, 429, QUOTA_EXCEEDED",
    "cancel, 503, PROVIDER_UNAVAILABLE"
  })
  void retriesATransientFailureUntilItPasses(String endpoint, int code, ErrorCode reported) {
    FalRequest done = fal.submit(PRO, editInput("flaky"), SubmitOptions.none()).join();
    awaitState(done, FalStatus.State.COMPLETED);
    Map<String, Supplier<CompletableFuture<?>>> operations =
        Map.of(
            "submit", () -> fal.submit(PRO, editInput("again"), SubmitOptions.none()),
            "status", () -> fal.status(done),
            "result", () -> fal.result(done),
            "cancel", () -> fal.cancel(done));
    calls.clear();
    settings(fault(endpoint, code, 1));

    CompletableFuture<?> call = operations.get(endpoint).get();
    await().atMost(Duration.ofSeconds(5)).until(() -> served(endpoint, code) >= 1);
    settings(fault(endpoint, code, 0));
    call.join();

    long failures = served(endpoint, code);
    assertThat(calls).hasSize((int) failures + 1);
    assertThat(calls.subList(0, (int) failures))
        .containsOnly(endpoint + " " + code + " " + reported);
    assertThat(calls).last().asString().startsWith(endpoint + " ").endsWith(" ok");
  }

  @Test
  void givesUpOnAPersistent503AfterTheConfiguredRetries() {
    FalRequest request = fal.submit(PRO, editInput("x"), SubmitOptions.none()).join();
    settings(fault("status", 503, 1));

    FalCallFailed failed = failure(client(2).status(request));

    assertThat(failed.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    assertThat(failed.retryable()).isTrue();
    assertThat(served("status", 503)).isEqualTo(3);
  }

  @Test
  void neverRepeatsASubmitThatFailedWith500() {
    settings(fault("submit", 500, 1));

    FalCallFailed failed = failure(fal.submit(PRO, editInput("x"), SubmitOptions.none()));

    assertThat(failed.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    assertThat(served("submit", 500)).isEqualTo(1);
  }

  private FalCallFailed resultFailureOf(Map<String, Object> input) {
    FalRequest request = fal.submit(PRO, input, SubmitOptions.none()).join();
    FalStatus completed = awaitState(request, FalStatus.State.COMPLETED);
    assertThat(completed.error()).isNotNull();
    return failure(fal.result(request));
  }

  private static String fault(String endpoint, int code, double probability) {
    return "{\"faults\":{\"" + endpoint + "\":{\"http" + code + "\":" + probability + "}}}";
  }
}
