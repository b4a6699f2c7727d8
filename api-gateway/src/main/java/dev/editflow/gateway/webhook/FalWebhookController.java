package dev.editflow.gateway.webhook;

import dev.editflow.fal.FalWebhook;
import dev.editflow.fal.FalWebhookVerifier;
import dev.editflow.fal.WebhookRejected;
import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.model.EditJobId;
import dev.editflow.model.message.FalWebhookReceived;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/fal/webhooks?job=…&attempt=…}: fal says a request finished. Nothing changes
 * unless its Ed25519 signature verifies; then a {@link FalWebhookReceived} with the result or
 * failure it carries goes to the worker through the outbox, and fal gets its 200 at once.
 */
@RestController
@Hidden
@ConditionalOnProperty(name = "editflow.gateway.fal-webhooks.enabled", havingValue = "true")
class FalWebhookController {

  private static final Logger LOG = LoggerFactory.getLogger(FalWebhookController.class);

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "editflow.gateway.fal-webhooks.enabled", havingValue = "true")
  static class Verifier {
    @Bean
    FalWebhookVerifier falWebhookVerifier(GatewaySettings settings, JsonMapper json, Clock clock) {
      return new FalWebhookVerifier(settings.falWebhooks().jwksUrl(), json, clock);
    }
  }

  private final FalWebhookVerifier verifier;
  private final Outbox outbox;
  private final TransactionTemplate transactions;
  private final Clock clock;

  FalWebhookController(
      FalWebhookVerifier verifier, Outbox outbox, TransactionTemplate transactions, Clock clock) {
    this.verifier = verifier;
    this.outbox = outbox;
    this.transactions = transactions;
    this.clock = clock;
  }

  @PostMapping("/v1/fal/webhooks")
  Map<String, String> receive(
      @RequestParam String job,
      @RequestParam(required = false) @Nullable Integer attempt,
      @RequestBody byte[] body,
      HttpServletRequest request) {
    FalWebhook webhook;
    try {
      webhook = verifier.verify(request::getHeader, body);
    } catch (WebhookRejected e) {
      LOG.warn(
          "Rejected a fal webhook for job {}: {}",
          job.length() > 40 ? job.substring(0, 40) : job,
          e.reason());
      throw new RequestRejected(ApiError.WEBHOOK_REJECTED, "The webhook could not be verified");
    }
    if (!EditJobId.isWellFormed(job)) {
      throw RequestRejected.field("job", "is not an edit job id");
    }
    transactions.executeWithoutResult(
        tx -> outbox.append(webhook.received(new EditJobId(job), attempt, clock.instant())));
    return Map.of("status", "received");
  }
}
