package dev.editflow.falsim.webhook;

import dev.editflow.falsim.Dice;
import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorReset;
import dev.editflow.falsim.SimulatorSettings;
import dev.editflow.falsim.queue.Job;
import dev.editflow.falsim.queue.JobObserver;
import dev.editflow.falsim.queue.JobOutcome;
import dev.editflow.falsim.queue.JobState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers the documented webhook payload when a job with {@code fal_webhook} completes: signed,
 * asynchronous ({@code sendAsync}, no request thread waits), retried with exponential backoff on
 * non-2xx answers and connection errors.
 */
@Component
class WebhookSender implements JobObserver, DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private static final int KEPT_DELIVERIES = 10_000;
  static final String PAYLOAD_ERROR =
      "Response payload is not JSON serializable. Either return a JSON serializable object or"
          + " use the queue endpoint to retrieve the response.";

  private final LiveSettings settings;
  private final Dice dice;
  private final WebhookSigner signer;
  private final JsonMapper json;
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("falsim-webhook").daemon().factory());
  private final ConcurrentLinkedDeque<WebhookDelivery> deliveries = new ConcurrentLinkedDeque<>();
  private final AtomicLong generation = new AtomicLong();

  WebhookSender(LiveSettings settings, Dice dice, WebhookSigner signer, JsonMapper json) {
    this.settings = settings;
    this.dice = dice;
    this.signer = signer;
    this.json = json;
  }

  @Override
  public void changed(Job job) {
    String url = job.webhookUrl();
    JobOutcome outcome = job.outcome();
    if (url == null || job.state() != JobState.COMPLETED || outcome == null) {
      return;
    }
    SimulatorSettings.Webhook webhook = settings.get().webhook();
    if (dice.chance(webhook.dropProbability())) {
      LOG.info("Webhook of request {} is dropped on purpose.", job.id());
      return;
    }
    byte[] body = json.writeValueAsBytes(payload(job.id(), outcome, webhook.payloadError()));
    attempt(job.id(), url, body, 1, generation.get());
  }

  /** Attempts so far, newest last (at most the last 10,000). */
  List<WebhookDelivery> deliveries() {
    return new ArrayList<>(deliveries);
  }

  @EventListener
  void on(SimulatorReset reset) {
    generation.incrementAndGet();
    deliveries.clear();
  }

  @Override
  public void destroy() {
    retries.shutdownNow();
  }

  static Map<String, Object> payload(String requestId, JobOutcome outcome, boolean payloadError) {
    var payload = new LinkedHashMap<String, Object>();
    payload.put("request_id", requestId);
    payload.put("gateway_request_id", requestId);
    if (outcome.failed()) {
      payload.put("status", "ERROR");
      payload.put("error", "Invalid status code: " + outcome.httpStatus());
    } else {
      payload.put("status", "OK");
    }
    if (payloadError) {
      payload.put("payload", null);
      payload.put("payload_error", PAYLOAD_ERROR);
    } else {
      payload.put("payload", outcome.body());
    }
    return payload;
  }

  private void attempt(String requestId, String url, byte[] body, int attempt, long gen) {
    if (gen != generation.get()) {
      return;
    }
    SimulatorSettings.Webhook webhook = settings.get().webhook();
    long timestamp = Instant.now().getEpochSecond();
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(webhook.timeout())
              .header("Content-Type", "application/json")
              .header("X-Fal-Webhook-Request-Id", requestId)
              .header("X-Fal-Webhook-User-Id", webhook.userId())
              .header("X-Fal-Webhook-Timestamp", Long.toString(timestamp))
              .header(
                  "X-Fal-Webhook-Signature",
                  signer.sign(requestId, webhook.userId(), timestamp, body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
    } catch (IllegalArgumentException e) {
      record(new WebhookDelivery(requestId, url, attempt, Instant.now(), null, "invalid URL"));
      return;
    }
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              Integer status = response == null ? null : response.statusCode();
              String error = failure == null ? null : failure.toString();
              record(new WebhookDelivery(requestId, url, attempt, Instant.now(), status, error));
              if (status != null && status / 100 == 2) {
                LOG.info("Webhook of request {} delivered on attempt {}.", requestId, attempt);
                return;
              }
              retry(requestId, url, body, attempt, gen, status, error);
            });
  }

  private void retry(
      String requestId,
      String url,
      byte[] body,
      int attempt,
      long gen,
      @Nullable Integer status,
      @Nullable String error) {
    SimulatorSettings.Webhook webhook = settings.get().webhook();
    if (attempt >= webhook.attempts()) {
      LOG.warn(
          "Webhook of request {} failed {} times (last: {}); giving up.",
          requestId,
          attempt,
          status != null ? "HTTP " + status : error);
      return;
    }
    long delay = webhook.baseDelay().toMillis() << Math.min(20, attempt - 1);
    retries.schedule(
        () -> attempt(requestId, url, body, attempt + 1, gen), delay, TimeUnit.MILLISECONDS);
  }

  private void record(WebhookDelivery delivery) {
    deliveries.addLast(delivery);
    while (deliveries.size() > KEPT_DELIVERIES) {
      deliveries.pollFirst();
    }
  }
}
