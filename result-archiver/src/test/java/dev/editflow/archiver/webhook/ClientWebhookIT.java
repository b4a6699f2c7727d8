package dev.editflow.archiver.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.archiver.ResultArchiverApplication;
import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import dev.editflow.testsupport.WebhookReceiver;
import dev.editflow.testsupport.WebhookReceiver.Received;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client webhooks over real PostgreSQL and HTTP: a job that ends owes its client one signed
 * delivery, which the archiver sends, retries and gives up on as a receiver would expect.
 */
@SpringBootTest(
    classes = ResultArchiverApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientWebhookIT {

  static final WebhookReceiver RECEIVER = new WebhookReceiver();
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
    TestS3.get().register(registry);
    registry.add("editflow.webhooks.allow-http", () -> "true");
    registry.add("editflow.webhooks.allow-loopback", () -> "true");
    registry.add("editflow.webhooks.poll-interval", () -> "100ms");
    registry.add("editflow.webhooks.retry-delays", () -> "200ms,400ms");
  }

  @Autowired EditJobs jobs;
  @Autowired ClientWebhooks webhooks;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Test
  void sendsOneSignedWebhookWhenAJobEnds() throws Exception {
    String path = "/hooks/" + UUID.randomUUID();
    EditJobId id = newJob("alice", RECEIVER.url(path));

    jobs.move(
        id, new Transition.Failed(ErrorCode.CONTENT_POLICY, "fal flagged the prompt", "test"));

    Received hook = awaitDeliveries(path, 1).get(0);
    assertThat(hook.headers())
        .containsEntry("webhook-id", "msg_" + id.value())
        .containsEntry("content-type", "application/json");
    long timestamp = Long.parseLong(hook.headers().get("webhook-timestamp"));
    assertThat(timestamp)
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
    assertThat(hook.signedWith(webhooks.secretOf("alice"))).isTrue();
    assertThat(hook.signedWith(webhooks.secretOf("mallory"))).isFalse();
    JsonNode payload = json.readTree(hook.body());
    assertThat(payload.get("type").asString()).isEqualTo("edit.failed");
    assertThat(payload.at("/data/id").asString()).isEqualTo(id.value());
    assertThat(payload.at("/data/status").asString()).isEqualTo("FAILED");
    assertThat(payload.at("/data/error/code").asString()).isEqualTo("CONTENT_POLICY");
    assertThat(new String(hook.body(), StandardCharsets.UTF_8))
        .as("operator detail never reaches the client")
        .doesNotContain("fal flagged");
    assertThat(delivery(id)).containsEntry("status", "DELIVERED").containsEntry("attempts", 1);
  }

  @Test
  void retriesWithTheSameIdUntilTheReceiverAccepts() throws Exception {
    String path = "/hooks/" + UUID.randomUUID();
    EditJobId id = newJob("bob", RECEIVER.url(path, 500, 503));

    jobs.move(id, new Transition.Cancelled("user:bob", "cancelled by the user"));

    List<Received> attempts = awaitDeliveries(path, 3);
    assertThat(attempts).extracting(r -> r.headers().get("webhook-id")).containsOnly("msg_" + id);
    assertThat(attempts).allMatch(r -> r.signedWith(webhooks.secretOf("bob")));
    await().atMost(PATIENCE).until(() -> "DELIVERED".equals(delivery(id).get("status")));
    assertThat(delivery(id)).containsEntry("attempts", 3);
    // Nothing after it was accepted: watched for longer than the last retry delay (400 ms) plus a
    // poll, so a stray extra attempt would arrive within the window.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> RECEIVER.receivedAt(path).size() == 3);
  }

  @Test
  void givesUpWhenTheRetriesAreUsedUp() throws Exception {
    String path = "/hooks/" + UUID.randomUUID();
    EditJobId id = newJob("carol", RECEIVER.url(path, 500, 500, 500, 500));

    jobs.move(id, new Transition.Failed(ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test"));

    await().atMost(PATIENCE).until(() -> "FAILED".equals(delivery(id).get("status")));
    assertThat(delivery(id)).containsEntry("attempts", 3).containsEntry("last_http_status", 500);
    assertThat(RECEIVER.receivedAt(path)).hasSize(3);
  }

  @Test
  void neverSendsToAnInternalAddress() {
    EditJobId id = newJob("dave", "http://169.254.169.254/latest/meta-data/");

    jobs.move(id, new Transition.Failed(ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test"));

    await().atMost(PATIENCE).until(() -> "FAILED".equals(delivery(id).get("status")));
    assertThat(delivery(id)).containsEntry("attempts", 1);
    assertThat((String) delivery(id).get("last_error")).contains("not allowed");
  }

  @Test
  void signsWithTheOldAndTheNewSecretAfterARotation() throws Exception {
    String old = webhooks.secretOf("erin");
    String rotated = webhooks.rotateSecret("erin");
    String path = "/hooks/" + UUID.randomUUID();
    EditJobId id = newJob("erin", RECEIVER.url(path));

    jobs.move(id, new Transition.Failed(ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test"));

    Received hook = awaitDeliveries(path, 1).get(0);
    assertThat(rotated).isNotEqualTo(old).startsWith("whsec_");
    assertThat(hook.signedWith(rotated)).isTrue();
    assertThat(hook.signedWith(old)).isTrue();
  }

  @Test
  void owesNothingWhenTheJobHasNoWebhookUrl() {
    EditJobId id = newJob("frank", null);

    jobs.move(id, new Transition.Failed(ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test"));

    assertThat(
            jdbc.sql("select count(*) from webhook_delivery where job_id = :id")
                .param("id", id.value())
                .query(Integer.class)
                .single())
        .isZero();
  }

  private List<Received> awaitDeliveries(String path, int count) {
    await().atMost(PATIENCE).until(() -> RECEIVER.receivedAt(path).size() >= count);
    return RECEIVER.receivedAt(path);
  }

  private Map<String, Object> delivery(EditJobId id) {
    return jdbc.sql(
            "select status, attempts, last_http_status, last_error from webhook_delivery"
                + " where job_id = :id")
        .param("id", id.value())
        .query()
        .singleRow();
  }

  private EditJobId newJob(String owner, String webhookUrl) {
    EditJobId id = EditJobId.generate();
    jobs.create(
        new NewEditJob(
            id,
            owner,
            "make the sky purple",
            "fal-ai/nano-banana-pro/edit",
            new EditParameters(1, null, null, "png", null),
            List.of(EditInput.url("https://example.com/in.png")),
            webhookUrl,
            null,
            null,
            new BigDecimal("0.15"),
            Instant.now().plus(Duration.ofMinutes(10))),
        "user:" + owner);
    return id;
  }
}
