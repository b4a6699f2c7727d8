package dev.editflow.gateway.admin;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.gateway.webhook.DeliveryView;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.jobs.webhook.DeliveryRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Client webhook deliveries that were given up, and sending them again. */
@RestController
@Tag(name = "admin")
@SecurityRequirement(name = "operator")
class AdminWebhookController {

  @Schema(name = "FailedWebhookDeliveryPage")
  record DeliveryPage(
      List<DeliveryView> items,
      @Schema(description = "Pass as cursor for the next page; null on the last page")
          @Nullable String nextCursor) {}

  @Schema(name = "WebhookResendReport")
  record ResendReport(@Schema(description = "Deliveries made pending again") List<String> resent) {}

  private final ClientWebhooks webhooks;
  private final AdminAudit audit;

  AdminWebhookController(ClientWebhooks webhooks, AdminAudit audit) {
    this.webhooks = webhooks;
    this.audit = audit;
  }

  @Operation(
      operationId = "adminListFailedWebhookDeliveries",
      summary = "Client webhook deliveries that were given up (FAILED), by id")
  @ProblemResponses(ApiError.FORBIDDEN)
  @GetMapping("/admin/v1/webhook-deliveries")
  DeliveryPage failed(
      @Parameter(
              description = "Deliveries per page",
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "50"))
          @RequestParam(defaultValue = "50")
          int limit,
      @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    if (limit < 1 || limit > 500) {
      throw RequestRejected.field("limit", "must be between 1 and 500");
    }
    List<DeliveryRecord> page = webhooks.failed(limit + 1, cursor);
    List<DeliveryRecord> items = page.size() > limit ? page.subList(0, limit) : page;
    return new DeliveryPage(
        items.stream().map(DeliveryView::of).toList(),
        page.size() > limit ? items.getLast().id() : null);
  }

  @Operation(
      operationId = "adminResendWebhookDelivery",
      summary = "Send one delivery again",
      description =
          "From the first step of the retry schedule, with the same webhook-id. A delivery still"
              + " pending is left as it is (200). Audited.")
  @ApiResponse(responseCode = "202", description = "Sent again")
  @ApiResponse(responseCode = "200", description = "Still pending: nothing changed")
  @ProblemResponses({ApiError.FORBIDDEN, ApiError.WEBHOOK_DELIVERY_NOT_FOUND})
  @PostMapping("/admin/v1/webhook-deliveries/{id}/resend")
  ResponseEntity<DeliveryView> resend(
      @PathVariable String id, @AuthenticationPrincipal Jwt operator) {
    webhooks
        .find(id)
        .orElseThrow(
            () ->
                new RequestRejected(
                    ApiError.WEBHOOK_DELIVERY_NOT_FOUND, "No webhook delivery " + id));
    boolean resent = webhooks.resend(id);
    audit.record(operator, "webhook.resend", "webhook:" + id, resent ? "resent" : "still pending");
    DeliveryView now = DeliveryView.of(webhooks.find(id).orElseThrow());
    return resent ? ResponseEntity.accepted().body(now) : ResponseEntity.ok(now);
  }

  @Operation(
      operationId = "adminResendFailedWebhookDeliveries",
      summary = "Send up to limit given-up deliveries again",
      description = "Oldest id first; call again until resent is empty. Audited.")
  @ProblemResponses(ApiError.FORBIDDEN)
  @PostMapping("/admin/v1/webhook-deliveries/resend")
  ResendReport resendFailed(
      @Parameter(
              description = "At most this many",
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100"))
          @RequestParam(defaultValue = "100")
          int limit,
      @AuthenticationPrincipal Jwt operator) {
    if (limit < 1 || limit > 1000) {
      throw RequestRejected.field("limit", "must be between 1 and 1000");
    }
    List<String> resent = webhooks.resendFailed(limit);
    audit.record(operator, "webhook.resend-failed", "webhooks", "resent " + resent.size());
    return new ResendReport(resent);
  }
}
