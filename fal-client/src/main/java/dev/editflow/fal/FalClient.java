package dev.editflow.fal;

import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * fal's queue API: submit, status, result and cancel, all asynchronous: no thread waits for fal,
 * and retry delays are scheduled, never slept. Retryable failures (429, 502–504, network errors)
 * are retried with exponential backoff and jitter, honouring Retry-After; everything else fails at
 * once with a {@link FalCallFailed} carrying a stable error code.
 */
public class FalClient {

  private static final Logger LOG = LoggerFactory.getLogger(FalClient.class);

  private final FalClientSettings settings;
  private final HttpClient http;
  private final JsonMapper json;
  private final FalCallListener listener;

  public FalClient(FalClientSettings settings, JsonMapper json, FalCallListener listener) {
    this.settings = settings;
    this.json = json;
    this.listener = listener;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Queues a model run at fal. */
  public CompletableFuture<FalRequest> submit(
      String modelId, Map<String, ?> input, SubmitOptions options) {
    String query =
        options.webhookUrl() == null
            ? ""
            : "?fal_webhook="
                + URLEncoder.encode(options.webhookUrl().toString(), StandardCharsets.UTF_8);
    URI uri = resolve("/" + modelId + query);
    byte[] body = json.writeValueAsBytes(input);
    Supplier<HttpRequest> request =
        () -> {
          HttpRequest.Builder builder =
              base(uri)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body));
          if (options.startTimeout() != null) {
            builder.header(
                "X-Fal-Request-Start-Timeout", String.valueOf(options.startTimeout().toSeconds()));
          }
          if (options.lowPriority()) {
            builder.header("X-Fal-Queue-Priority", "low");
          }
          if (options.noRetry()) {
            builder.header("X-Fal-No-Retry", "1");
          }
          if (!options.storePayloads()) {
            builder.header("X-Fal-Store-IO", "0");
          }
          if (options.outputLifetime() != null) {
            builder.header(
                "X-Fal-Object-Lifecycle-Preference",
                "{\"expiration_duration_seconds\": " + options.outputLifetime().toSeconds() + "}");
          }
          return builder.build();
        };
    return call(
        "submit",
        request,
        Kind.SUBMIT,
        response -> {
          JsonNode node = json.readTree(response.body());
          return FalAnswers.request(node, requestBase(modelId, node.path("request_id").asString()));
        });
  }

  /**
   * The URLs of a request known only by its id (e.g. from a webhook), built the way fal lays them
   * out: status, result and cancel live under {@code owner/app}, not the full model id.
   */
  public FalRequest refFor(String modelId, String requestId) {
    String base = requestBase(modelId, requestId);
    return new FalRequest(requestId, base + "/status", base, base + "/cancel");
  }

  private String requestBase(String modelId, String requestId) {
    return resolve("/" + EndpointId.ownerAndApp(modelId) + "/requests/" + requestId).toString();
  }

  /** The request's status; {@code 202} and {@code 200} are both answers. */
  public CompletableFuture<FalStatus> status(FalRequest request) {
    return status(request, false);
  }

  /** The request's status, with the model's log lines when {@code logs} is set. */
  public CompletableFuture<FalStatus> status(FalRequest request, boolean logs) {
    URI uri = URI.create(request.statusUrl() + (logs ? "?logs=1" : ""));
    return call(
        "status",
        () -> base(uri).GET().build(),
        Kind.READ,
        response -> FalAnswers.status(json.readTree(response.body())));
  }

  /**
   * Follows the request's status stream (server-sent events): {@code onStatus} gets every status as
   * it arrives, keep-alive comments are skipped, and the future completes with the final {@code
   * COMPLETED} status when fal closes the stream. Nothing blocks while waiting.
   */
  public CompletableFuture<FalStatus> streamStatus(
      FalRequest request, Consumer<FalStatus> onStatus) {
    HttpRequest httpRequest =
        HttpRequest.newBuilder(URI.create(request.statusUrl() + "/stream"))
            .header("Authorization", settings.key().authorizationHeader())
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    StatusStream stream = new StatusStream(json, onStatus);
    return http.sendAsync(httpRequest, HttpResponse.BodyHandlers.fromLineSubscriber(stream))
        .thenCompose(
            response -> {
              if (response.statusCode() / 100 != 2) {
                return CompletableFuture.failedFuture(
                    FalErrors.classify(
                        "stream", response.statusCode(), response.headers(), new byte[0], json));
              }
              return stream.last == null || !stream.last.isCompleted()
                  ? CompletableFuture.failedFuture(
                      new FalCallFailed(
                          "stream",
                          ErrorCode.PROVIDER_UNAVAILABLE,
                          0,
                          "stream_closed_early",
                          null,
                          null))
                  : CompletableFuture.completedFuture(stream.last);
            });
  }

  /**
   * The result of a completed request: its images, or the model's error as a {@link FalCallFailed}.
   */
  public CompletableFuture<FalResult> result(FalRequest request) {
    return call(
        "result",
        () -> base(URI.create(request.responseUrl())).GET().build(),
        Kind.READ,
        response -> FalAnswers.result(json.readTree(response.body())));
  }

  /** Asks fal to cancel; the outcome comes from the body, whatever the HTTP code. */
  public CompletableFuture<CancelOutcome> cancel(FalRequest request) {
    return call(
        "cancel",
        () ->
            base(URI.create(request.cancelUrl())).PUT(HttpRequest.BodyPublishers.noBody()).build(),
        Kind.CANCEL,
        response -> FalAnswers.cancelOutcome(response.statusCode(), readOrNull(response.body())));
  }

  private @Nullable JsonNode readOrNull(byte[] body) {
    try {
      return json.readTree(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private enum Kind {
    SUBMIT,
    READ,
    CANCEL
  }

  private <T> CompletableFuture<T> call(
      String operation,
      Supplier<HttpRequest> request,
      Kind kind,
      Function<HttpResponse<byte[]>, T> onSuccess) {
    Consumer<String> ended = listener.started(operation);
    return attempt(operation, request, kind, onSuccess, 0)
        .whenComplete(
            (result, error) ->
                ended.accept(
                    error == null
                        ? "ok"
                        : unwrap(error) instanceof FalCallFailed failed
                            ? failed.code().name()
                            : ErrorCode.UNKNOWN.name()));
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private <T> CompletableFuture<T> attempt(
      String operation,
      Supplier<HttpRequest> request,
      Kind kind,
      Function<HttpResponse<byte[]>, T> onSuccess,
      int retry) {
    long started = System.nanoTime();
    return http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                // A submit that may have reached fal is not repeated: it could create a second
                // paid request. Only a refused connection proves that it did not.
                boolean safe = kind != Kind.SUBMIT || cause instanceof ConnectException;
                FalCallFailed failed =
                    new FalCallFailed(
                        operation,
                        ErrorCode.PROVIDER_UNAVAILABLE,
                        0,
                        cause.getClass().getSimpleName(),
                        null,
                        cause);
                listener.onCall(operation, failed.code().name(), 0, took);
                return retryOrFail(operation, request, kind, onSuccess, retry, failed, safe);
              }
              int status = response.statusCode();
              boolean ok =
                  status / 100 == 2 || (kind == Kind.CANCEL && (status == 400 || status == 404));
              if (ok) {
                listener.onCall(operation, "ok", status, took);
                try {
                  return CompletableFuture.completedFuture(onSuccess.apply(response));
                } catch (RuntimeException e) {
                  LOG.warn("fal {} answered {} with a body we could not read.", operation, status);
                  return CompletableFuture.<T>failedFuture(
                      new FalCallFailed(operation, ErrorCode.UNKNOWN, status, null, null, e));
                }
              }
              FalCallFailed failed =
                  FalErrors.classify(operation, status, response.headers(), response.body(), json);
              listener.onCall(operation, failed.code().name(), status, took);
              LOG.debug(
                  "fal {} answered {}: {}",
                  operation,
                  status,
                  truncate(
                      settings.key().redact(new String(response.body(), StandardCharsets.UTF_8))));
              boolean retryable =
                  FalErrors.retryableStatus(status, response.headers(), kind != Kind.SUBMIT)
                      && (kind != Kind.SUBMIT
                          || response.headers().firstValue("x-fal-request-id").isEmpty());
              return retryOrFail(operation, request, kind, onSuccess, retry, failed, retryable);
            })
        .thenCompose(Function.identity());
  }

  private <T> CompletableFuture<T> retryOrFail(
      String operation,
      Supplier<HttpRequest> request,
      Kind kind,
      Function<HttpResponse<byte[]>, T> onSuccess,
      int retry,
      FalCallFailed failed,
      boolean retryable) {
    if (!retryable || retry >= settings.maxRetries()) {
      return CompletableFuture.failedFuture(failed);
    }
    Duration delay = backoff(retry, failed.retryAfter());
    LOG.info(
        "fal {} failed ({}), retry {} of {} in {} ms.",
        operation,
        failed.getMessage(),
        retry + 1,
        settings.maxRetries(),
        delay.toMillis());
    return CompletableFuture.supplyAsync(
            () -> null, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(ignored -> attempt(operation, request, kind, onSuccess, retry + 1));
  }

  /** Exponential backoff with ±25 % jitter, or the server's Retry-After; never above the cap. */
  Duration backoff(int retry, @Nullable Duration retryAfter) {
    long cap = settings.retryCap().toMillis();
    if (retryAfter != null) {
      return Duration.ofMillis(Math.min(cap, retryAfter.toMillis()));
    }
    long base = settings.retryBase().toMillis() << Math.min(retry, 20);
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Duration.ofMillis(Math.min(cap, (long) (base * jitter)));
  }

  private HttpRequest.Builder base(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(settings.requestTimeout())
        .header("Authorization", settings.key().authorizationHeader())
        .header("Accept", "application/json");
  }

  private URI resolve(String path) {
    String base = settings.baseUrl().toString();
    return URI.create(
        base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
  }

  private static String truncate(String body) {
    return body.length() > 500 ? body.substring(0, 500) + "…" : body;
  }
}
