package dev.editflow.archiver.webhook;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.jobs.webhook.WebhookDelivery;
import dev.editflow.safehttp.OutboundPolicy;
import dev.editflow.safehttp.PinnedHttp;
import dev.editflow.safehttp.UrlNotAllowed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends due client webhooks. Each delivery keeps its {@code webhook-id} on every retry (receivers
 * deduplicate on it) and gets a fresh timestamp and signature per attempt. Any answer but 2xx is
 * retried after the next of the configured delays; a URL our SSRF policy refuses is never retried.
 * Redirects are not followed: they would carry the body somewhere the sender never checked, so a
 * redirect is just an unsuccessful answer.
 */
class WebhookSender {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private static final int DRAINED_ANSWER_BYTES = 64 * 1024;

  private final ClientWebhooks webhooks;
  private final EditJobs jobs;
  private final PinnedHttp http;
  private final WebhookSettings settings;
  private final JsonMapper json;
  private final Clock clock;
  private final JobTracing tracing;
  private final Counter delivered;
  private final Counter retried;
  private final Counter failed;

  WebhookSender(
      ClientWebhooks webhooks,
      EditJobs jobs,
      PinnedHttp http,
      WebhookSettings settings,
      JsonMapper json,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    this.webhooks = webhooks;
    this.jobs = jobs;
    this.http = http;
    this.settings = settings;
    this.json = json;
    this.clock = clock;
    this.tracing = tracing;
    this.delivered = outcome(meters, "delivered");
    this.retried = outcome(meters, "retry");
    this.failed = outcome(meters, "failed");
  }

  private static Counter outcome(MeterRegistry meters, String outcome) {
    return Counter.builder("editflow.webhooks.attempts")
        .description("Client webhook attempts by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  @Scheduled(fixedDelayString = "${editflow.webhooks.poll-interval:1s}")
  void sendDue() {
    if (!settings.enabled()) {
      return;
    }
    List<WebhookDelivery> due;
    try {
      due = webhooks.claimDue(settings.batchSize(), settings.lease());
    } catch (RuntimeException e) {
      LOG.warn("Looking for due webhooks failed, trying again next round: {}", e.toString());
      return;
    }
    // A slow receiver must not hold up the others' deliveries.
    try (ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor()) {
      due.forEach(delivery -> attempts.submit(() -> attempt(delivery)));
    }
  }

  void attempt(WebhookDelivery delivery) {
    EditJob job;
    try {
      job = jobs.find(delivery.jobId()).orElseThrow();
    } catch (RuntimeException e) {
      // e.g. the database is down: the lease runs out and the delivery is tried again.
      LOG.warn("Webhook {} attempt failed, it will be retried: {}", delivery.id(), e.toString());
      return;
    }
    // The delivery is the last step of the job's trace, however late it comes.
    JobSpan span =
        tracing
            .start("webhook send", Span.Kind.CLIENT, job.id(), job.traceParent())
            .tag("webhook.attempt", String.valueOf(delivery.attempts() + 1));
    try {
      span.run(() -> send(delivery, job));
    } finally {
      span.end();
    }
  }

  private void send(WebhookDelivery delivery, EditJob job) {
    try {
      byte[] body = json.writeValueAsBytes(payload(delivery, job));
      long timestamp = clock.instant().getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("User-Agent", "editflow-webhooks");
      headers.put("webhook-id", delivery.id());
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put(
          "webhook-signature",
          WebhookSigner.sign(
              webhooks.signingSecrets(delivery.ownerId()), delivery.id(), timestamp, body));
      int status = post(delivery.url(), headers, body);
      if (status >= 200 && status < 300) {
        webhooks.delivered(delivery, status);
        delivered.increment();
        LOG.debug("Webhook {} delivered to {} ({}).", delivery.id(), host(delivery), status);
      } else {
        retryLater(delivery, status, "the receiver answered " + status);
      }
    } catch (UrlNotAllowed e) {
      webhooks.attemptFailed(delivery, null, "URL not allowed: " + e.getMessage(), null);
      failed.increment();
      LOG.warn("Webhook {} not sent, its URL is not allowed: {}", delivery.id(), e.getMessage());
    } catch (IOException e) {
      retryLater(delivery, null, "no complete answer: " + e.getMessage());
    } catch (RuntimeException e) {
      // e.g. the database is down: the lease runs out and the delivery is tried again.
      LOG.warn("Webhook {} attempt failed, it will be retried: {}", delivery.id(), e.toString());
    }
  }

  private int post(String url, Map<String, String> headers, byte[] body) throws IOException {
    OutboundPolicy.CheckedUrl checked = http.policy().check(url);
    try (PinnedHttp.Response response = http.post(checked, headers, body)) {
      // The answer's body means nothing to us; read a little so the receiver is not cut off.
      response.body().readNBytes(DRAINED_ANSWER_BYTES);
      return response.status();
    }
  }

  private void retryLater(WebhookDelivery delivery, @Nullable Integer status, String error) {
    List<java.time.Duration> delays = settings.retryDelays();
    if (delivery.attempts() >= delays.size()) {
      webhooks.attemptFailed(delivery, status, error, null);
      failed.increment();
      LOG.warn(
          "Webhook {} to {} gave up after {} attempts: {}",
          delivery.id(),
          host(delivery),
          delivery.attempts() + 1,
          error);
      return;
    }
    Instant retryAt = clock.instant().plus(delays.get(delivery.attempts()));
    webhooks.attemptFailed(delivery, status, error, retryAt);
    retried.increment();
    LOG.warn(
        "Webhook {} to {} failed ({}), retrying at {}.",
        delivery.id(),
        host(delivery),
        error,
        retryAt);
  }

  /** What the client gets: the job as the API shows it, minus output URLs that would expire. */
  private static Map<String, Object> payload(WebhookDelivery delivery, EditJob job) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", job.id().value());
    data.put("status", job.status().name());
    data.put("model", job.model());
    data.put("attempts", job.attempt());
    data.put("createdAt", job.createdAt().toString());
    data.put("updatedAt", job.updatedAt().toString());
    if (job.errorCode() != null) {
      data.put(
          "error",
          Map.of(
              "code",
              job.errorCode().name(),
              "message",
              job.errorMessage() == null ? "" : job.errorMessage()));
    }
    data.put("links", Map.of("self", "/v1/edits/" + job.id().value()));
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", delivery.eventType());
    payload.put("timestamp", job.updatedAt().toString());
    payload.put("data", data);
    return payload;
  }

  private static String host(WebhookDelivery delivery) {
    // Only the host: a receiver URL may carry a token in its path or query.
    try {
      return String.valueOf(URI.create(delivery.url()).getHost());
    } catch (IllegalArgumentException e) {
      return "(invalid URL)";
    }
  }
}
