package dev.editflow.fal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.message.FalWebhookReceived;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FalWebhookTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final EditJobId JOB = EditJobId.generate();

  @Test
  void anOkWebhookCarriesItsImagesToTheWorker() {
    FalWebhook ok =
        webhook(
            "OK",
            """
            {"images":[{"url":"https://v3b.fal.media/files/a.png","content_type":"image/png",
                        "width":1024,"height":768}]}""",
            null);

    FalWebhookReceived received = ok.received(JOB, 2, Instant.EPOCH);

    assertThat(received.images()).hasSize(1);
    assertThat(received.images().getFirst().url()).isEqualTo("https://v3b.fal.media/files/a.png");
    assertThat(received.images().getFirst().width()).isEqualTo(1024);
    assertThat(received.failure()).isNull();
    assertThat(received.attempt()).isEqualTo(2);
  }

  @Test
  void anErrorWebhookCarriesTheCodeAFailedResultCallWouldGive() {
    FalWebhook error =
        webhook(
            "ERROR",
            """
            {"detail":[{"loc":["body","prompt"],"msg":"blocked","type":"content_policy_violation"}]}""",
            "Invalid status code: 422");

    FalWebhookReceived received = error.received(JOB, 1, Instant.EPOCH);

    assertThat(received.images()).isNull();
    assertThat(received.failure().code()).isEqualTo(ErrorCode.CONTENT_POLICY);
  }

  @Test
  void aWebhookWithoutPayloadCarriesNeitherSoTheWorkerFetches() {
    FalWebhook unserialisable =
        new FalWebhook("r1", "r1", "OK", null, "Response payload is not JSON serializable", null);
    FalWebhook errorWithoutStatus = webhook("ERROR", "{\"detail\":\"boom\"}", "something odd");

    for (FalWebhook webhook : new FalWebhook[] {unserialisable, errorWithoutStatus}) {
      FalWebhookReceived received = webhook.received(JOB, 1, Instant.EPOCH);
      assertThat(received.images()).isNull();
      assertThat(received.failure()).isNull();
    }
  }

  private static FalWebhook webhook(String status, String payload, String error) {
    return new FalWebhook("r1", "r1", status, JSON.readTree(payload), null, error);
  }
}
