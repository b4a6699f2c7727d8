package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.jobs.webhook.WebhookDelivery;
import dev.editflow.model.EditJobId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A job's client webhook deliveries, for its owner and for operators, and their re-send. */
class WebhookDeliveryIT extends GatewayIntegrationTest {

  private static final String HOOK = "https://93.184.215.14/hooks/editflow";

  @Autowired EditJobs jobs;
  @Autowired ClientWebhooks webhooks;

  @Test
  void theOwnerSeesAndResendsTheDeliveriesOfTheirJobOnly() {
    String erin = token("erin-" + UUID.randomUUID());
    String id = submitEdit(erin, Map.of("webhookUrl", HOOK));
    assertThat(send(get("/v1/edits/" + id + "/webhook-deliveries", erin)).json().get("items"))
        .as("nothing owed before the job ends")
        .isEmpty();
    String deliveryId = failedDelivery(id);

    JsonNode listed = send(get("/v1/edits/" + id + "/webhook-deliveries", erin)).json();
    assertThat(listed.get("items").get(0).get("status").asString()).isEqualTo("FAILED");
    assertThat(listed.get("items").get(0).get("lastHttpStatus").asInt()).isEqualTo(500);
    assertThat(listed.get("items").get(0).get("eventType").asString()).isEqualTo("edit.cancelled");

    Response resent = send(post("/v1/edits/" + id + "/webhook-deliveries/resend", erin, "{}"));
    assertThat(resent.status()).as(resent.toString()).isEqualTo(202);
    JsonNode pending = resent.json().get("items").get(0);
    assertThat(pending.get("status").asString()).isEqualTo("PENDING");
    assertThat(pending.get("attempts").asInt()).isZero();
    assertThat(pending.get("id").asString()).isEqualTo(deliveryId);
    assertThat(send(post("/v1/edits/" + id + "/webhook-deliveries/resend", erin, "{}")).status())
        .as("still pending: nothing changes")
        .isEqualTo(200);

    String frank = token("frank-" + UUID.randomUUID());
    assertThat(send(get("/v1/edits/" + id + "/webhook-deliveries", frank)).status()).isEqualTo(404);
    assertThat(send(post("/v1/edits/" + id + "/webhook-deliveries/resend", frank, "{}")).status())
        .isEqualTo(404);
    String withoutHook = submitEdit(erin);
    Response none =
        send(post("/v1/edits/" + withoutHook + "/webhook-deliveries/resend", erin, "{}"));
    assertThat(none.json().get("code").asString()).isEqualTo("WEBHOOK_DELIVERY_NOT_FOUND");
  }

  @Test
  void operatorsListFailedDeliveriesAndResendOneOrAll() {
    String gina = token("gina-" + UUID.randomUUID());
    String one = failedDelivery(submitEdit(gina, Map.of("webhookUrl", HOOK)));
    String two = failedDelivery(submitEdit(gina, Map.of("webhookUrl", HOOK)));
    String operator = adminToken("ops-hooks");

    JsonNode failed = send(get("/admin/v1/webhook-deliveries?limit=500", operator)).json();
    assertThat(failed.get("items").valueStream().map(d -> d.get("id").asString()))
        .contains(one, two);

    Response resent = send(post("/admin/v1/webhook-deliveries/" + one + "/resend", operator, "{}"));
    assertThat(resent.status()).as(resent.toString()).isEqualTo(202);
    assertThat(resent.json().get("status").asString()).isEqualTo("PENDING");
    assertThat(
            send(post("/admin/v1/webhook-deliveries/msg_nope/resend", operator, "{}"))
                .json()
                .get("code")
                .asString())
        .isEqualTo("WEBHOOK_DELIVERY_NOT_FOUND");

    Response all = send(post("/admin/v1/webhook-deliveries/resend?limit=1000", operator, "{}"));
    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    assertThat(all.json().get("resent").valueStream().map(JsonNode::asString))
        .contains(two)
        .doesNotContain(one);
    assertThat(webhooks.find(two).orElseThrow().status()).isEqualTo("PENDING");
    JsonNode audit =
        send(get("/admin/v1/jobs/" + webhooks.find(one).orElseThrow().jobId().value(), operator))
            .json();
    assertThat(audit.get("webhookDeliveries").get(0).get("status").asString()).isEqualTo("PENDING");
  }

  /** Ends the job (cancelled) and gives its webhook up after a 500; returns the delivery id. */
  private String failedDelivery(String jobId) {
    EditJobId id = new EditJobId(jobId);
    jobs.move(id, new Transition.Cancelled("test", "cancelled"));
    var delivery = webhooks.ofJob(id).getFirst();
    webhooks.attemptFailed(
        new WebhookDelivery(
            delivery.id(), id, delivery.ownerId(), delivery.url(), delivery.eventType(), 7),
        500,
        "HTTP 500",
        null);
    return delivery.id();
  }
}
