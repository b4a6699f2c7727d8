package dev.editflow.gateway.webhook;

import dev.editflow.gateway.edit.OwnedJobs;
import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.jobs.webhook.DeliveryRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The client webhook deliveries of the caller's job, and sending them again. */
@RestController
@Tag(name = "webhooks")
class WebhookDeliveryController {

  @Schema(name = "WebhookDeliveryList")
  record DeliveryList(List<DeliveryView> items) {}

  private final OwnedJobs ownedJobs;
  private final ClientWebhooks webhooks;

  WebhookDeliveryController(OwnedJobs ownedJobs, ClientWebhooks webhooks) {
    this.ownedJobs = ownedJobs;
    this.webhooks = webhooks;
  }

  @Operation(
      operationId = "listWebhookDeliveries",
      summary = "The webhook deliveries of one of the caller's jobs",
      description = "Empty until the job ends, and for a job without a webhookUrl.")
  @ProblemResponses(ApiError.JOB_NOT_FOUND)
  @GetMapping("/v1/edits/{id}/webhook-deliveries")
  DeliveryList list(@PathVariable String id, @AuthenticationPrincipal Jwt caller) {
    EditJob job = ownedJobs.owned(id, caller);
    return new DeliveryList(webhooks.ofJob(job.id()).stream().map(DeliveryView::of).toList());
  }

  @Operation(
      operationId = "resendWebhookDeliveries",
      summary = "Send the job's webhook again",
      description =
          "A delivered or given-up delivery is sent again from the first step of the retry"
              + " schedule, with the same webhook-id; one still pending is left as it is (200).")
  @ApiResponse(responseCode = "202", description = "Sent again")
  @ApiResponse(responseCode = "200", description = "Still pending: nothing changed")
  @ProblemResponses({ApiError.JOB_NOT_FOUND, ApiError.WEBHOOK_DELIVERY_NOT_FOUND})
  @PostMapping("/v1/edits/{id}/webhook-deliveries/resend")
  ResponseEntity<DeliveryList> resend(
      @PathVariable String id, @AuthenticationPrincipal Jwt caller) {
    EditJob job = ownedJobs.owned(id, caller);
    List<DeliveryRecord> deliveries = webhooks.ofJob(job.id());
    if (deliveries.isEmpty()) {
      throw new RequestRejected(
          ApiError.WEBHOOK_DELIVERY_NOT_FOUND,
          "Edit job " + id + " has no webhook delivery: it has no webhookUrl or has not ended");
    }
    boolean resent = false;
    for (DeliveryRecord delivery : deliveries) {
      resent |= webhooks.resend(delivery.id());
    }
    DeliveryList now =
        new DeliveryList(webhooks.ofJob(job.id()).stream().map(DeliveryView::of).toList());
    return resent ? ResponseEntity.accepted().body(now) : ResponseEntity.ok(now);
  }
}
