package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.systemtests.EditflowApi.Response;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestS3;
import dev.editflow.testsupport.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One edit job from upload to archived output, as a frontend drives it, through the real service
 * processes, RabbitMQ, PostgreSQL, S3 and the fal-simulator.
 */
class EditFlowSystemIT {

  static final WebhookReceiver WEBHOOKS = new WebhookReceiver();

  static EditflowStack stack;
  static EditflowApi alice;
  static EditflowApi bob;

  @BeforeAll
  static void startStack() {
    stack = EditflowStack.get();
    alice = EditflowApi.as(stack.gateway.baseUri(), "alice");
    bob = EditflowApi.as(stack.gateway.baseUri(), "bob");
  }

  @Test
  void editsAnUploadedImageAndStoresTheOutputsInOurBucket() throws Exception {
    String uploadId = alice.upload(Images.png(320, 200), "image/png");
    String prompt = "make the sky purple " + UUID.randomUUID();

    Response accepted =
        alice.post(
            "/v1/edits",
            Map.of(
                "prompt",
                prompt,
                "inputs",
                List.of(Map.of("uploadId", uploadId)),
                "numImages",
                2,
                "outputFormat",
                "png"));

    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String id = accepted.json().get("id").asString();
    assertThat(accepted.location()).endsWith("/v1/edits/" + id);

    JsonNode job = awaitTerminal(alice, id);
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("outputs")).hasSize(2);
    for (JsonNode output : job.get("outputs")) {
      URI url = URI.create(output.get("url").asString());
      assertThat(url.getPort())
          .as("served from our S3, not fal")
          .isEqualTo(TestS3.get().endpoint().getPort());
      Response download = EditflowApi.send(HttpRequest.newBuilder(url).GET().build());
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.body().length).isEqualTo(output.get("bytes").asLong());
      assertThat(Images.sha256(download.body())).isEqualTo(output.get("sha256").asString());
      assertThat(output.get("contentType").asString()).isEqualTo("image/png");
      var image = Images.read(download.body());
      assertThat(image).as("a real PNG").isNotNull();
      assertThat(image.getWidth()).isEqualTo(output.get("width").asInt());
      assertThat(image.getHeight()).isEqualTo(output.get("height").asInt());
    }
    try (var s3 = TestS3.get().client()) {
      assertThat(
              s3.listObjectsV2(b -> b.bucket(TestS3.BUCKET).prefix("outputs/" + id + "/"))
                  .contents())
          .hasSize(2);
    }

    List<String> statuses = transitions(id);
    assertThat(statuses).startsWith("QUEUED", "SUBMITTED").endsWith("ARCHIVING", "SUCCEEDED");
    assertThat(statuses).isSubsetOf("QUEUED", "SUBMITTED", "IN_PROGRESS", "ARCHIVING", "SUCCEEDED");
    assertThat(falSubmissionsFor(prompt)).as("one fal submission").isEqualTo(1);
  }

  @Test
  void tellsTheClientsWebhookWhenTheJobEndsSignedWithTheirSecret() {
    String secret = alice.get("/v1/webhooks/secret").json().get("secret").asString();
    String path = "/editflow-hooks/" + UUID.randomUUID();
    String uploadId = alice.upload(Images.png(64, 64), "image/png");

    Response accepted =
        alice.post(
            "/v1/edits",
            Map.of(
                "prompt",
                "webhook me " + UUID.randomUUID(),
                "inputs",
                List.of(Map.of("uploadId", uploadId)),
                "webhookUrl",
                WEBHOOKS.url(path)));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String id = accepted.json().get("id").asString();

    await().atMost(Duration.ofSeconds(60)).until(() -> !WEBHOOKS.receivedAt(path).isEmpty());
    WebhookReceiver.Received hook = WEBHOOKS.receivedAt(path).get(0);
    assertThat(hook.signedWith(secret)).isTrue();
    assertThat(hook.headers()).containsEntry("webhook-id", "msg_" + id);
    JsonNode payload = EditflowApi.JSON.readTree(hook.body());
    assertThat(payload.get("type").asString()).isEqualTo("edit.succeeded");
    assertThat(payload.at("/data/status").asString()).isEqualTo("SUCCEEDED");
    assertThat(payload.at("/data/links/self").asString()).isEqualTo("/v1/edits/" + id);
    assertThat(alice.get("/v1/edits/" + id).json().get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(bob.get("/v1/webhooks/secret").json().get("secret").asString())
        .as("every user has their own secret")
        .isNotEqualTo(secret);
  }

  @Test
  void hidesAJobFromEveryoneButItsOwner() {
    String id = createJob(alice, "private " + UUID.randomUUID());

    Response read = bob.get("/v1/edits/" + id);
    Response cancel = bob.post("/v1/edits/" + id + "/cancel", Map.of());
    Response list = bob.get("/v1/edits?limit=100");

    assertProblem(read, 404, "JOB_NOT_FOUND");
    assertProblem(cancel, 404, "JOB_NOT_FOUND");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("items").toString()).doesNotContain(id);
    assertThat(alice.get("/v1/edits/" + id).status()).isEqualTo(200);
  }

  @Test
  void rejectsBadInputWithProblemDetailsAndCreatesNothing() throws Exception {
    String uploadId = alice.upload(Images.png(64, 64), "image/png");
    long before = jobCount();

    assertProblem(alice.post("/v1/edits", "{\"prompt\": "), 400, "MALFORMED_REQUEST");
    assertProblem(
        alice.post("/v1/edits", Map.of("prompt", "x", "inputs", "not-a-list")),
        400,
        "MALFORMED_REQUEST");
    assertProblem(
        alice.post(
            "/v1/edits", Map.of("prompt", "", "inputs", List.of(Map.of("uploadId", uploadId)))),
        400,
        "VALIDATION_FAILED");
    assertProblem(
        alice.post(
            "/v1/edits",
            Map.of(
                "prompt", "x", "inputs", List.of(Map.of("uploadId", uploadId)), "numImages", 99)),
        400,
        "VALIDATION_FAILED");
    assertProblem(
        alice.post(
            "/v1/edits",
            Map.of(
                "prompt",
                "x",
                "inputs",
                List.of(Map.of("uploadId", uploadId)),
                "model",
                "evil/model")),
        422,
        "UNKNOWN_MODEL");
    assertProblem(
        bob.post(
            "/v1/edits", Map.of("prompt", "x", "inputs", List.of(Map.of("uploadId", uploadId)))),
        404,
        "UPLOAD_NOT_FOUND");
    assertProblem(
        alice.post(
            "/v1/uploads", Map.of("contentType", "image/png", "contentLength", 60L * 1024 * 1024)),
        422,
        "UPLOAD_TOO_LARGE");
    assertProblem(
        alice.post("/v1/uploads", Map.of("contentType", "text/html", "contentLength", 100)),
        422,
        "UNSUPPORTED_IMAGE_TYPE");
    assertThat(jobCount()).isEqualTo(before);
  }

  @Test
  void returnsTheSameJobForARepeatedIdempotencyKey() {
    String uploadId = alice.upload(Images.png(64, 64), "image/png");
    Map<String, Object> body =
        Map.of(
            "prompt",
            "idempotent " + UUID.randomUUID(),
            "inputs",
            List.of(Map.of("uploadId", uploadId)));
    Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

    Response first = alice.post("/v1/edits", body, key);
    Response again = alice.post("/v1/edits", body, key);
    Response otherBody =
        alice.post(
            "/v1/edits",
            Map.of("prompt", "something else", "inputs", List.of(Map.of("uploadId", uploadId))),
            key);

    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(again.status())
        .as("a replay answers 200 with the same job: " + again)
        .isEqualTo(200);
    assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
    assertProblem(otherBody, 422, "IDEMPOTENCY_KEY_REUSED");
  }

  static String createJob(EditflowApi user, String prompt) {
    String uploadId = user.upload(Images.png(64, 64), "image/png");
    Response accepted =
        user.post(
            "/v1/edits", Map.of("prompt", prompt, "inputs", List.of(Map.of("uploadId", uploadId))));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return accepted.json().get("id").asString();
  }

  static JsonNode awaitTerminal(EditflowApi user, String id) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> user.get("/v1/edits/" + id).json(),
            job ->
                List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT")
                    .contains(job.get("status").asString()));
  }

  static void assertProblem(Response response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().path("code").asString()).as(response.toString()).isEqualTo(code);
  }

  static long falSubmissionsFor(String prompt) {
    Response requests =
        EditflowApi.send(
            HttpRequest.newBuilder(stack.simulator.baseUri().resolve("/_sim/requests"))
                .GET()
                .build());
    long count = 0;
    JsonNode list = requests.json().isArray() ? requests.json() : requests.json().path("requests");
    for (JsonNode request : list) {
      if (prompt.equals(request.path("prompt").asString())) {
        count++;
      }
    }
    return count;
  }

  static List<String> transitions(String id) throws SQLException {
    try (Connection db = database();
        PreparedStatement query =
            db.prepareStatement(
                "select to_status from edit_job_transition where job_id = ? order by id")) {
      query.setString(1, id);
      List<String> statuses = new ArrayList<>();
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          statuses.add(rs.getString(1));
        }
      }
      return statuses;
    }
  }

  static long jobCount() throws SQLException {
    try (Connection db = database();
        ResultSet rs = db.createStatement().executeQuery("select count(*) from edit_job")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Connection database() throws SQLException {
    TestPostgres postgres = TestPostgres.get();
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }
}
