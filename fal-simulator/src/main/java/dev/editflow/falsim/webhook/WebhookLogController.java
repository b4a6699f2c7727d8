package dev.editflow.falsim.webhook;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /_sim/webhooks}: every delivery attempt, so tests can see retries and failures. */
@RestController
class WebhookLogController {

  private final WebhookSender sender;

  WebhookLogController(WebhookSender sender) {
    this.sender = sender;
  }

  @GetMapping("/_sim/webhooks")
  List<WebhookDelivery> deliveries() {
    return sender.deliveries();
  }
}
