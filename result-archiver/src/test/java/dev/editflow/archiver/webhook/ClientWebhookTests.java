package dev.editflow.archiver.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.archiver.ResultArchiverApplication;
import dev.editflow.archiver.webhook.WebhookReceiver.Received;
import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
class ClientWebhookTests {

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

    jobs.fail(id, ErrorCode.CONTENT_POLICY, "fal flagged the prompt", "test");

    Received hook = awaitDeliveries(path, 1).get(0);
    assertThat(hook.headers())
        .containsEntry("webhook-id", "msg_" + id.value())
        .containsEntry("content-type", "application/json");
    long timestamp = Long.parseLong(hook.headers().get("webhook-timestamp"));
    assertThat(timestamp)
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
    assertThat(verifies(webhooks.secretOf("alice"), hook)).isTrue();
    assertThat(verifies(webhooks.secretOf("mallory"), hook)).isFalse();
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

    jobs.end(id, JobStatus.CANCELLED, ErrorCode.CANCELLED, "user:bob", "cancelled by the user");

    List<Received> attempts = awaitDeliveries(path, 3);
    assertThat(attempts).extracting(r -> r.headers().get("webhook-id")).containsOnly("msg_" + id);
    assertThat(attempts).allMatch(r -> verifies(webhooks.secretOf("bob"), r));
    await().atMost(PATIENCE).until(() -> "DELIVERED".equals(delivery(id).get("status")));
    assertThat(delivery(id)).containsEntry("attempts", 3);
    Thread.sleep(1000);
    assertThat(RECEIVER.receivedAt(path)).as("nothing after it was accepted").hasSize(3);
  }

  @Test
  void givesUpWhenTheRetriesAreUsedUp() throws Exception {
    String path = "/hooks/" + UUID.randomUUID();
    EditJobId id = newJob("carol", RECEIVER.url(path, 500, 500, 500, 500));

    jobs.fail(id, ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test");

    await().atMost(PATIENCE).until(() -> "FAILED".equals(delivery(id).get("status")));
    assertThat(delivery(id)).containsEntry("attempts", 3).containsEntry("last_http_status", 500);
    assertThat(RECEIVER.receivedAt(path)).hasSize(3);
  }

  @Test
  void neverSendsToAnInternalAddress() {
    EditJobId id = newJob("dave", "http://169.254.169.254/latest/meta-data/");

    jobs.fail(id, ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test");

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

    jobs.fail(id, ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test");

    Received hook = awaitDeliveries(path, 1).get(0);
    assertThat(rotated).isNotEqualTo(old).startsWith("whsec_");
    assertThat(verifies(rotated, hook)).isTrue();
    assertThat(verifies(old, hook)).isTrue();
  }

  @Test
  void owesNothingWhenTheJobHasNoWebhookUrl() {
    EditJobId id = newJob("frank", null);

    jobs.fail(id, ErrorCode.PROVIDER_UNAVAILABLE, "fal down", "test");

    assertThat(
            jdbc.sql("select count(*) from webhook_delivery where job_id = :id")
                .param("id", id.value())
                .query(Integer.class)
                .single())
        .isZero();
  }

  /** The receiver's side of Standard Webhooks, written from the spec, not from our signer. */
  private static boolean verifies(String secret, Received hook) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      mac.update(
          (hook.headers().get("webhook-id") + "." + hook.headers().get("webhook-timestamp") + ".")
              .getBytes(StandardCharsets.UTF_8));
      byte[] expected = mac.doFinal(hook.body());
      for (String signature : hook.headers().get("webhook-signature").split(" ")) {
        String[] parts = signature.split(",", 2);
        if (parts[0].equals("v1")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
          return true;
        }
      }
      return false;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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
