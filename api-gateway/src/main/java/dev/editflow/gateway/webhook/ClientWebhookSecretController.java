package dev.editflow.gateway.webhook;

import dev.editflow.jobs.webhook.ClientWebhooks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's Standard Webhooks signing secret, which their receiver verifies our webhooks with.
 * Created on first read; a rotation keeps the old secret signing for a day so receivers can switch
 * over without dropping a webhook.
 */
@RestController
@Tag(name = "webhooks")
class ClientWebhookSecretController {

  @Schema(name = "WebhookSecret")
  record SecretView(
      @Schema(
              description = "Verify our webhooks with it (any Standard Webhooks library)",
              example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
          String secret) {}

  private final ClientWebhooks webhooks;

  ClientWebhookSecretController(ClientWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  @Operation(
      operationId = "getWebhookSecret",
      summary = "The caller's webhook signing secret",
      description = "Created on first read.")
  @GetMapping("/v1/webhooks/secret")
  SecretView secret(@AuthenticationPrincipal Jwt caller) {
    return new SecretView(webhooks.secretOf(caller.getSubject()));
  }

  @Operation(
      operationId = "rotateWebhookSecret",
      summary = "Issue a new webhook signing secret",
      description = "For 24 h webhooks carry signatures of both the old and the new secret.")
  @PostMapping("/v1/webhooks/secret/rotate")
  SecretView rotate(@AuthenticationPrincipal Jwt caller) {
    return new SecretView(webhooks.rotateSecret(caller.getSubject()));
  }
}
