package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.systemtests.EditflowApi.Response;
import dev.editflow.testsupport.TestS3;
import dev.editflow.testsupport.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The operator API and the data lifecycle through the real service processes: what the gateway
 * records is what the worker and the archiver act on.
 */
class AdminSystemIT {

  static final WebhookReceiver WEBHOOKS = new WebhookReceiver();

  static EditflowStack stack;
  static EditflowApi nina;
  static EditflowApi operator;

  @BeforeAll
  static void startStack() {
    stack = EditflowStack.get();
    nina = EditflowApi.as(stack.gateway.baseUri(), "nina-" + UUID.randomUUID());
    operator = EditflowApi.asOperator(stack.gateway.baseUri(), "ops");
  }

  @Test
  void aResentWebhookIsSentAgainByTheArchiverAndADeletedEditLeavesTheBucket() {
    String path = "/editflow-hooks/" + UUID.randomUUID();
    String uploadId = nina.upload(Images.png(64, 64), "image/png");
    Response accepted =
        nina.post(
            "/v1/edits",
            Map.of(
                "prompt",
                "admin " + UUID.randomUUID(),
                "inputs",
                List.of(Map.of("uploadId", uploadId)),
                "webhookUrl",
                WEBHOOKS.url(path)));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String id = accepted.json().get("id").asString();
    assertThat(EditFlowSystemIT.awaitTerminal(nina, id).get("status").asString())
        .isEqualTo("SUCCEEDED");
    await().atMost(Duration.ofSeconds(60)).until(() -> WEBHOOKS.receivedAt(path).size() == 1);

    JsonNode job = operator.get("/admin/v1/jobs/" + id).json();
    assertThat(job.get("falRequestId").asString()).isNotBlank();
    assertThat(job.get("transitions").valueStream().map(t -> t.get("actor").asString()))
        .contains("worker", "archiver");
    assertThat(job.get("webhookDeliveries").get(0).get("status").asString()).isEqualTo("DELIVERED");
    assertThat(nina.get("/admin/v1/jobs/" + id).status()).isEqualTo(403);

    Response resent = nina.post("/v1/edits/" + id + "/webhook-deliveries/resend", "{}");
    assertThat(resent.status()).as(resent.toString()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> WEBHOOKS.receivedAt(path).size() == 2);
    assertThat(WEBHOOKS.receivedAt(path).get(1).headers())
        .as("the same message, for the receiver to deduplicate")
        .containsEntry("webhook-id", "msg_" + id);

    Response redrive = operator.post("/admin/v1/jobs/" + id + "/redrive", "{}");
    assertThat(redrive.json().get("code").asString()).isEqualTo("NOTHING_TO_REDRIVE");

    assertThat(nina.delete("/v1/edits/" + id).status()).isEqualTo(204);
    assertThat(nina.get("/v1/edits/" + id).status()).isEqualTo(404);
    try (var s3 = TestS3.get().client()) {
      assertThat(
              s3.listObjectsV2(b -> b.bucket(TestS3.BUCKET).prefix("outputs/" + id + "/"))
                  .contents())
          .isEmpty();
      assertThat(
              s3.listObjectsV2(b -> b.bucket(TestS3.BUCKET).prefix("uploads/" + uploadId))
                  .contents())
          .isEmpty();
    }
  }
}
