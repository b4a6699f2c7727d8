package dev.editflow.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.model.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Our fal client against a scripted HTTP server: paths, headers, retries and classification. */
class FalClientTests {

  private static final String SECRET = "key-id:very-secret-value";

  private ScriptedFal fal;
  private FalClient client;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    fal = new ScriptedFal();
    client =
        new FalClient(
            new FalClientSettings(
                fal.base(),
                FalKey.of(SECRET),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                3,
                Duration.ofMillis(20),
                Duration.ofMillis(200)),
            JsonMapper.builder().build(),
            (operation, outcome, status, duration) ->
                calls.add(operation + " " + status + " " + outcome));
  }

  @AfterEach
  void stop() {
    fal.close();
  }

  @Test
  void submitsOnTheFullModelIdWithPlatformHeadersAndKeepsTheReturnedUrls() {
    fal.then(
        200,
        """
        {"status":"IN_QUEUE","request_id":"r1","queue_position":0,
         "response_url":"http://x/fal-ai/nano-banana-pro/requests/r1",
         "status_url":"http://x/fal-ai/nano-banana-pro/requests/r1/status",
         "cancel_url":"http://x/fal-ai/nano-banana-pro/requests/r1/cancel"}
        """);

    FalRequestRef ref =
        client
            .submit(
                "fal-ai/nano-banana-pro/edit",
                Map.of("prompt", "p"),
                new SubmitOptions(
                    Duration.ofMinutes(5),
                    true,
                    Duration.ofHours(1),
                    URI.create("https://gw/v1/fal/webhooks?job=a")))
            .join();

    assertThat(ref.requestId()).isEqualTo("r1");
    assertThat(ref.statusUrl()).isEqualTo("http://x/fal-ai/nano-banana-pro/requests/r1/status");
    var request = fal.received.getFirst();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path())
        .startsWith("/fal-ai/nano-banana-pro/edit?fal_webhook=https%3A%2F%2Fgw");
    assertThat(request.headers().get("Authorization")).containsExactly("Key " + SECRET);
    assertThat(request.headers().get("X-fal-request-start-timeout")).containsExactly("300");
    assertThat(request.headers().get("X-fal-queue-priority")).containsExactly("low");
    assertThat(request.headers().get("X-fal-object-lifecycle-preference").getFirst())
        .contains("\"expiration_duration_seconds\": 3600");
  }

  @Test
  void retriesA429HonouringRetryAfterThenSucceeds() {
    fal.then(429, Map.of("Retry-After", "0"), "{\"detail\":\"busy\"}")
        .then(503, "{\"detail\":\"down\"}")
        .then(202, "{\"status\":\"IN_PROGRESS\"}");

    FalStatus status = client.status(ref()).join();

    assertThat(status.state()).isEqualTo(FalStatus.State.IN_PROGRESS);
    assertThat(calls)
        .containsExactly(
            "status 429 QUOTA_EXCEEDED", "status 503 PROVIDER_UNAVAILABLE", "status 202 ok");
  }

  @Test
  void givesUpAfterTheConfiguredRetries() {
    for (int i = 0; i < 5; i++) {
      fal.then(502, "{\"detail\":\"bad gateway\"}");
    }

    assertThatThrownBy(() -> client.status(ref()).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            FalCallFailed.class,
            f -> assertThat(f.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
    assertThat(fal.received).hasSize(4);
  }

  @Test
  void neverRetriesAContentPolicyRejection() {
    fal.then(
        422,
        "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"no\",\"type\":\"content_policy_violation\"}]}");

    assertThatThrownBy(() -> client.result(ref()).join())
        .cause()
        .isInstanceOfSatisfying(
            FalCallFailed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.CONTENT_POLICY);
              assertThat(f.retryable()).isFalse();
            });
    assertThat(fal.received).hasSize(1);
  }

  @Test
  void classifiesAnUnreachableInput() {
    fal.then(
        422,
        "{\"detail\":[{\"loc\":[\"body\",\"image_urls\",0],\"msg\":\"x\",\"type\":\"file_download_error\"}]}");

    assertThatThrownBy(() -> client.result(ref()).join())
        .cause()
        .isInstanceOfSatisfying(
            FalCallFailed.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INPUT_UNREACHABLE));
  }

  @Test
  void neverRetriesOurOwnStartTimeout() {
    fal.then(
        504,
        Map.of("X-Fal-Request-Timeout-Type", "user"),
        "{\"detail\":\"Request timed out\",\"error_type\":\"request_timeout\"}");

    assertThatThrownBy(() -> client.result(ref()).join())
        .cause()
        .isInstanceOfSatisfying(
            FalCallFailed.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.PROVIDER_TIMEOUT));
    assertThat(fal.received).hasSize(1);
  }

  @Test
  void doesNotRepeatASubmitThatFalMayHaveAccepted() {
    fal.then(503, Map.of("x-fal-request-id", "r9"), "{\"detail\":\"runner gone\"}");

    assertThatThrownBy(
            () -> client.submit("fal-ai/nano-banana/edit", Map.of(), SubmitOptions.none()).join())
        .cause()
        .isInstanceOf(FalCallFailed.class);
    assertThat(fal.received).hasSize(1);
  }

  @Test
  void reportsARejectedKeyWithoutTheKey() {
    fal.then(401, "{\"detail\":\"Invalid key " + SECRET + "\"}");

    assertThatThrownBy(() -> client.status(ref()).join())
        .cause()
        .isInstanceOfSatisfying(
            FalCallFailed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.PROVIDER_REJECTED_CREDENTIALS);
              assertThat(f.getMessage()).doesNotContain("secret");
            });
    assertThat(FalKey.of(SECRET).toString()).doesNotContain("secret");
  }

  @Test
  void readsTheCancelOutcomeFromTheBodyWhateverTheCode() {
    fal.then(200, "{\"status\":\"OK\"}")
        .then(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")
        .then(400, "{\"status\":\"ALREADY_COMPLETED\"}")
        .then(404, "{\"status\":\"NOT_FOUND\"}")
        .then(200, "{\"status\":\"ALREADY_COMPLETED\"}");

    assertThat(client.cancel(ref()).join()).isEqualTo(CancelOutcome.REMOVED);
    assertThat(client.cancel(ref()).join()).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);
    assertThat(client.cancel(ref()).join()).isEqualTo(CancelOutcome.ALREADY_COMPLETED);
    assertThat(client.cancel(ref()).join()).isEqualTo(CancelOutcome.NOT_FOUND);
    assertThat(client.cancel(ref()).join()).isEqualTo(CancelOutcome.ALREADY_COMPLETED);
    assertThat(fal.received).allMatch(r -> r.method().equals("PUT"));
  }

  @Test
  void treatsUndocumentedTerminalStatesAsCompletedAndUnknownOnesAsRunning() {
    fal.then(200, "{\"status\":\"FAILED\"}").then(202, "{\"status\":\"WARMING_UP\"}");

    assertThat(client.status(ref()).join().isCompleted()).isTrue();
    assertThat(client.status(ref()).join().state()).isEqualTo(FalStatus.State.UNKNOWN);
  }

  @Test
  void readsImagesFromTheResult() {
    fal.then(
        200,
        """
        {"images":[{"url":"https://v3b.fal.media/files/a.png","content_type":"image/png",
          "file_name":"a.png","file_size":123,"width":1024,"height":768},{"url":"https://v3b.fal.media/files/b.png"}],
         "description":"done"}
        """);

    FalResult result = client.result(ref()).join();

    assertThat(result.images()).hasSize(2);
    assertThat(result.images().getFirst().width()).isEqualTo(1024);
    assertThat(result.images().get(1).fileSize()).isNull();
  }

  @Test
  void keepsOnlyOwnerAndAppForRequestUrls() {
    assertThat(EndpointId.ownerAndApp("fal-ai/nano-banana-pro/edit"))
        .isEqualTo("fal-ai/nano-banana-pro");
    assertThat(EndpointId.ownerAndApp("fal-ai/flux-pro/kontext")).isEqualTo("fal-ai/flux-pro");
    assertThat(EndpointId.ownerAndApp("workflows/me/flow/x")).isEqualTo("workflows/me/flow");
  }

  private FalRequestRef ref() {
    String base = fal.base() + "/fal-ai/nano-banana-pro/requests/r1";
    return new FalRequestRef("r1", base + "/status", base, base + "/cancel");
  }
}
