package dev.editflow.gateway.webhook;

import dev.editflow.jobs.webhook.ClientWebhooks;
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
class ClientWebhookSecretController {

  record SecretView(String secret) {}

  private final ClientWebhooks webhooks;

  ClientWebhookSecretController(ClientWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  @GetMapping("/v1/webhooks/secret")
  SecretView secret(@AuthenticationPrincipal Jwt caller) {
    return new SecretView(webhooks.secretOf(caller.getSubject()));
  }

  @PostMapping("/v1/webhooks/secret/rotate")
  SecretView rotate(@AuthenticationPrincipal Jwt caller) {
    return new SecretView(webhooks.rotateSecret(caller.getSubject()));
  }
}
