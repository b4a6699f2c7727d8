package dev.editflow.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
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

    FalRequest ref =
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
  void tellsTheListenerWhenACallStartsAndHowItEndedRetriesIncluded() {
    List<String> spans = new CopyOnWriteArrayList<>();
    FalClient observed =
        new FalClient(
            new FalClientSettings(
                fal.base(),
                FalKey.of(SECRET),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                1,
                Duration.ofMillis(10),
                Duration.ofMillis(50)),
            JsonMapper.builder().build(),
            new FalCallListener() {
              @Override
              public void onCall(String operation, String outcome, int status, Duration took) {
                spans.add("exchange " + operation + " " + outcome);
              }

              @Override
              public java.util.function.Consumer<String> started(String operation) {
                spans.add("start " + operation + " on " + Thread.currentThread().getName());
                return outcome -> spans.add("end " + operation + " " + outcome);
              }
            });
    fal.then(503, "{\"detail\":\"down\"}")
        .then(202, "{\"status\":\"IN_PROGRESS\"}")
        .then(403, "{\"detail\":\"bad key\"}");

    observed.status(ref()).join();
    catchThrowable(() -> observed.status(ref()).join());

    String caller = Thread.currentThread().getName();
    assertThat(spans)
        .containsExactly(
            "start status on " + caller,
            "exchange status PROVIDER_UNAVAILABLE",
            "exchange status ok",
            "end status ok",
            "start status on " + caller,
            "exchange status PROVIDER_REJECTED_CREDENTIALS",
            "end status PROVIDER_REJECTED_CREDENTIALS");
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

  @Test
  void classifiesTheResultOfACancelledRequestAsCancelled() {
    fal.then(
        400,
        Map.of("X-Fal-Error-Type", "request_cancelled"),
        "{\"detail\":\"Request was cancelled\",\"error_type\":\"request_cancelled\"}");

    assertThat(failure(client.result(ref())).code()).isEqualTo(ErrorCode.CANCELLED);
  }

  @Test
  void classifiesOtherValidationErrorsAndForbiddenKeys() {
    fal.then(422, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"x\",\"type\":\"missing\"}]}")
        .then(422, "{\"detail\":\"prompt is too long\"}")
        .then(403, "{\"detail\":\"no permission\"}")
        .then(418, "{\"detail\":\"teapot\"}");

    assertThat(failure(client.result(ref())).code()).isEqualTo(ErrorCode.INPUT_REJECTED);
    assertThat(failure(client.result(ref())).code()).isEqualTo(ErrorCode.INPUT_REJECTED);
    assertThat(failure(client.status(ref())).code())
        .isEqualTo(ErrorCode.PROVIDER_REJECTED_CREDENTIALS);
    assertThat(failure(client.status(ref())).code()).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(fal.received).hasSize(4);
  }

  @Test
  void retriesA500OnlyForReads() {
    fal.then(500, "{\"detail\":\"boom\"}")
        .then(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":3}")
        .then(500, "{\"detail\":\"boom\"}");

    assertThat(client.status(ref()).join().queuePosition()).isEqualTo(3);
    assertThat(
            failure(client.submit("fal-ai/nano-banana/edit", Map.of(), SubmitOptions.none()))
                .code())
        .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    assertThat(fal.received).hasSize(3);
  }

  @Test
  void retriesASubmitThatFalRefusedAtItsIngress() {
    fal.then(429, Map.of("Retry-After", "0"), "{\"detail\":\"Too many requests\"}")
        .then(503, "<html>nginx</html>")
        .then(200, "{\"status\":\"IN_QUEUE\",\"request_id\":\"r2\",\"queue_position\":0}");

    FalRequest ref =
        client.submit("fal-ai/nano-banana-pro/edit", Map.of(), SubmitOptions.none()).join();

    // Without URLs in the answer they are built on owner/app, not the full model id.
    assertThat(ref)
        .isEqualTo(client.refFor("fal-ai/nano-banana-pro/edit", "r2"))
        .extracting(FalRequest::statusUrl)
        .isEqualTo(fal.base() + "/fal-ai/nano-banana-pro/requests/r2/status");
    assertThat(fal.received).hasSize(3);
  }

  @Test
  void retriesASubmitWhoseConnectionWasRefused() throws Exception {
    URI closed;
    try (ScriptedFal gone = new ScriptedFal()) {
      closed = gone.base();
    }
    FalClient unreachable =
        new FalClient(
            new FalClientSettings(
                closed,
                FalKey.of(SECRET),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                2,
                Duration.ofMillis(10),
                Duration.ofMillis(50)),
            JsonMapper.builder().build(),
            (operation, outcome, status, duration) ->
                calls.add(operation + " " + status + " " + outcome));

    FalCallFailed failed =
        failure(unreachable.submit("fal-ai/nano-banana/edit", Map.of(), SubmitOptions.none()));

    assertThat(failed.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    assertThat(failed.httpStatus()).isZero();
    assertThat(calls)
        .containsExactly(
            "submit 0 PROVIDER_UNAVAILABLE",
            "submit 0 PROVIDER_UNAVAILABLE",
            "submit 0 PROVIDER_UNAVAILABLE");
  }

  @Test
  void retriesAStatusCallThatTimedOutButNeverASubmit() {
    FalClient impatient =
        new FalClient(
            new FalClientSettings(
                fal.base(),
                FalKey.of(SECRET),
                Duration.ofSeconds(1),
                Duration.ofMillis(300),
                3,
                Duration.ofMillis(10),
                Duration.ofMillis(50)),
            JsonMapper.builder().build(),
            FalCallListener.NONE);
    fal.thenHang().then(202, "{\"status\":\"IN_PROGRESS\"}").thenHang();

    assertThat(impatient.status(ref()).join().state()).isEqualTo(FalStatus.State.IN_PROGRESS);
    FalCallFailed failed =
        failure(impatient.submit("fal-ai/nano-banana/edit", Map.of(), SubmitOptions.none()));

    // A submit that timed out may have reached fal: sending it again could pay for two jobs.
    assertThat(failed.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    assertThat(failed.falErrorType()).isEqualTo("HttpTimeoutException");
    assertThat(fal.received).hasSize(3);
  }

  @Test
  void keepsBackoffWithinJitterAndCap() {
    for (int retry = 0; retry < 4; retry++) {
      long nominal = 20L << retry;
      for (int i = 0; i < 50; i++) {
        assertThat(client.backoff(retry, null).toMillis())
            .isBetween((long) (nominal * 0.75), Math.min(200, (long) (nominal * 1.25)));
      }
    }
    assertThat(client.backoff(30, null)).isEqualTo(Duration.ofMillis(200));
    assertThat(client.backoff(0, Duration.ofSeconds(90))).isEqualTo(Duration.ofMillis(200));
    assertThat(client.backoff(0, Duration.ofMillis(70))).isEqualTo(Duration.ofMillis(70));
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDate() {
    String inFiveSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));

    assertThat(FalErrors.retryAfter(headers("Retry-After", "7"))).hasSeconds(7);
    assertThat(FalErrors.retryAfter(headers("Retry-After", inFiveSeconds)))
        .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
    assertThat(FalErrors.retryAfter(headers("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT")))
        .isZero();
    assertThat(FalErrors.retryAfter(headers("Retry-After", "soon"))).isNull();
  }

  @Test
  void neverWritesTheKeyToLogsOrMessages() {
    Logger logger = (Logger) LoggerFactory.getLogger(FalClient.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logger.addAppender(logs);
    try {
      fal.then(503, "{\"detail\":\"bad key " + SECRET + "\"}")
          .then(401, "{\"detail\":\"Invalid key very-secret-value\"}");

      FalCallFailed failed = failure(client.status(ref()));

      assertThat(logs.list).isNotEmpty();
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(line -> line.contains("very-secret-value"));
      assertThat(failed.getMessage()).doesNotContain("very-secret-value");
      assertThat(FalClientSettings.defaults(fal.base(), FalKey.of(SECRET)).toString())
          .doesNotContain("very-secret-value")
          .doesNotContain("key-id");
    } finally {
      logger.detachAppender(logs);
      logger.setLevel(before);
    }
  }

  private static HttpHeaders headers(String name, String value) {
    return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
  }

  private static FalCallFailed failure(CompletableFuture<?> call) {
    Throwable thrown = catchThrowable(call::join);
    assertThat(thrown).isInstanceOf(CompletionException.class);
    assertThat(thrown.getCause()).isInstanceOf(FalCallFailed.class);
    return (FalCallFailed) thrown.getCause();
  }

  @Test
  void followsTheStatusStreamSkippingKeepAlives() {
    fal.then(
        200,
        Map.of("Content-Type", "text/event-stream"),
        """
        : keep-alive

        data: {"status":"IN_QUEUE","queue_position":1}

        : keep-alive

        data: {"status":"IN_PROGRESS"}

        data: {"status":"COMPLETED","metrics":{"inference_time":1.5}}

        """);
    List<FalStatus.State> seen = new CopyOnWriteArrayList<>();

    FalStatus last = client.streamStatus(ref(), status -> seen.add(status.state())).join();

    assertThat(seen)
        .containsExactly(
            FalStatus.State.IN_QUEUE, FalStatus.State.IN_PROGRESS, FalStatus.State.COMPLETED);
    assertThat(last.inferenceSeconds()).isEqualTo(1.5);
    assertThat(fal.received.getFirst().path()).endsWith("/requests/r1/status/stream");
  }

  @Test
  void asksForLogsAndSendsTheNoRetryAndStoreIoHeaders() {
    fal.then(202, "{\"status\":\"IN_PROGRESS\",\"logs\":[]}").then(200, "{\"request_id\":\"r2\"}");

    client.status(ref(), true).join();
    client
        .submit(
            "fal-ai/nano-banana/edit",
            Map.of(),
            new SubmitOptions(null, false, null, null, true, false))
        .join();

    assertThat(fal.received.get(0).path()).endsWith("/status?logs=1");
    assertThat(fal.received.get(1).headers().get("X-fal-no-retry")).containsExactly("1");
    assertThat(fal.received.get(1).headers().get("X-fal-store-io")).containsExactly("0");
  }

  private FalRequest ref() {
    String base = fal.base() + "/fal-ai/nano-banana-pro/requests/r1";
    return new FalRequest("r1", base + "/status", base, base + "/cancel");
  }
}
