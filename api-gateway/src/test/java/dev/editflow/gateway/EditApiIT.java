package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.FalWaitRoom;
import dev.editflow.jobs.Transition;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.messaging.MessageCodec;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.Topology;
import dev.editflow.testsupport.TestImages;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class EditApiIT extends GatewayIntegrationTest {

  @Autowired RabbitTemplate rabbit;
  @Autowired MessageCodec codec;
  @Autowired EditJobs jobs;
  @Autowired FalWaitRoom waitRoom;
  @Autowired JdbcClient jdbc;
  @Autowired Usage usage;

  @Test
  void acceptsAnEditOfAnUploadAndHandsItToTheWorkers() {
    String alice = token("alice-" + UUID.randomUUID());
    String uploadId = upload(alice, TestImages.png(80, 60), "image/png");

    Response accepted =
        send(
            post(
                "/v1/edits",
                alice,
                Map.of("prompt", "purple sky", "inputs", List.of(Map.of("uploadId", uploadId)))));

    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String id = accepted.json().get("id").asString();
    assertThat(accepted.raw().headers().firstValue("Location")).hasValue("/v1/edits/" + id);
    assertThat(accepted.json().get("status").asString()).isEqualTo("QUEUED");
    assertThat(accepted.json().get("estimatedCostUsd").decimalValue()).isEqualByComparingTo("0.15");
    boolean relayed = false;
    for (int i = 0; i < 20 && !relayed; i++) {
      Message message = rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 1000);
      relayed =
          message != null && codec.decode(message, EditRequested.class).jobId().value().equals(id);
    }
    assertThat(relayed).as("EditRequested reached the workers' queue").isTrue();
    assertThat(send(get("/v1/edits/" + id, alice)).json().get("prompt").asString())
        .isEqualTo("purple sky");
  }

  @Test
  void recordsOnlyAPassingUploadVerdictAndReusesIt() {
    String ivy = token("ivy-" + UUID.randomUUID());
    byte[] png = TestImages.png(20, 20);
    Response announced =
        send(
            post(
                "/v1/uploads",
                ivy,
                Map.of("contentType", "image/png", "contentLength", png.length)));
    String uploadId = announced.json().get("uploadId").asString();
    Map<String, Object> edit =
        Map.of("prompt", "snow", "inputs", List.of(Map.of("uploadId", uploadId)));

    Response early = send(post("/v1/edits", ivy, edit));
    assertThat(early.status()).as(early.toString()).isEqualTo(422);
    assertThat(early.json().get("code").asString()).isEqualTo("UPLOAD_INCOMPLETE");
    assertThat(checkedAt(uploadId)).as("a failed check is not recorded").isEmpty();

    Response put =
        send(
            HttpRequest.newBuilder(URI.create(announced.json().get("url").asString()))
                .header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(send(post("/v1/edits", ivy, edit)).status()).isEqualTo(202);
    var verdict = checkedAt(uploadId);
    assertThat(verdict).as("the passing check is recorded").isPresent();

    assertThat(send(post("/v1/edits", ivy, edit)).status()).isEqualTo(202);
    assertThat(checkedAt(uploadId)).as("the first verdict stays").isEqualTo(verdict);
  }

  private Optional<Timestamp> checkedAt(String uploadId) {
    return jdbc.sql("select checked_at from upload where id = :id")
        .param("id", uploadId)
        .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)))
        .single();
  }

  @Test
  void storesTheCallersTierAndShowsAWaitingJobsPlaceInTheWaitRoom() {
    String user = "ida-" + UUID.randomUUID();
    String ida =
        send(post("/v1/dev/tokens", null, Map.of("user", user, "tier", "pro")))
            .json()
            .get("token")
            .asString();
    String uploadId = upload(ida, TestImages.png(80, 60), "image/png");
    List<EditJobId> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Response accepted =
          send(
              post(
                  "/v1/edits",
                  ida,
                  Map.of("prompt", "gold hills", "inputs", List.of(Map.of("uploadId", uploadId)))));
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      assertThat(accepted.json().has("queuePosition")).isFalse();
      ids.add(new EditJobId(accepted.json().get("id").asString()));
    }
    assertThat(jobs.find(ids.getFirst()).orElseThrow().tier()).isEqualTo("pro");

    // What a worker does when the fal account is full: one job holds a slot, the other waits.
    EditJobId holder = ids.getFirst();
    holdFalSlot(holder);
    EditJobId waiting = ids.getLast();
    waitRoom.enter(waiting, 1, 4);

    Response read = send(get("/v1/edits/" + waiting.value(), ida));
    long position = waitRoom.position(waiting).orElseThrow();
    assertThat(read.json().get("queuePosition").asLong()).isEqualTo(position).isPositive();
    assertThat(send(get("/v1/edits/" + holder.value(), ida)).json().has("queuePosition"))
        .as("a job holding a slot has no place in the wait room")
        .isFalse();
    assertThat(send(get("/v1/edits", ida)).json().get("items").get(0).has("queuePosition"))
        .as("lists leave it out (one count per job)")
        .isFalse();

    send(post("/v1/edits/" + waiting.value() + "/cancel", ida, ""));
    assertThat(send(get("/v1/edits/" + waiting.value(), ida)).json().has("queuePosition"))
        .isFalse();
  }

  @Test
  void listsTheCallersJobsNewestFirstPageByPage() {
    String bob = token("bob-" + UUID.randomUUID());
    String uploadId = upload(bob, TestImages.png(20, 20), "image/png");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          send(post(
                  "/v1/edits",
                  bob,
                  Map.of("prompt", "p" + i, "inputs", List.of(Map.of("uploadId", uploadId)))))
              .json()
              .get("id")
              .asString());
    }

    Response first = send(get("/v1/edits?limit=2", bob));
    Response second =
        send(get("/v1/edits?limit=2&cursor=" + first.json().get("nextCursor").asString(), bob));

    assertThat(first.json().get("items").findValuesAsString("id"))
        .containsExactly(ids.get(2), ids.get(1));
    assertThat(second.json().get("items").findValuesAsString("id")).containsExactly(ids.get(0));
    assertThat(second.json().get("nextCursor").isNull()).isTrue();
  }

  @Test
  void cancelsIdempotentlyAndStreamsTheStatusChanges() throws Exception {
    String carol = token("carol-" + UUID.randomUUID());
    String uploadId = upload(carol, TestImages.png(20, 20), "image/png");
    String id =
        send(post(
                "/v1/edits",
                carol,
                Map.of("prompt", "p", "inputs", List.of(Map.of("uploadId", uploadId)))))
            .json()
            .get("id")
            .asString();

    Response cancelled = send(post("/v1/edits/" + id + "/cancel", carol, "{}"));
    Response again = send(post("/v1/edits/" + id + "/cancel", carol, "{}"));
    HttpResponse<String> events =
        HTTP.send(
            get("/v1/edits/" + id + "/events", carol).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> resumed =
        HTTP.send(
            get("/v1/edits/" + id + "/events", carol)
                .header("Last-Event-ID", firstEventId(events.body()))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancelled.json().get("error").get("code").asString()).isEqualTo("CANCELLED");
    assertThat(again.status()).as("a repeated cancel changes nothing").isEqualTo(200);
    assertThat(again.json().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(events.body())
        .contains("\"status\":\"QUEUED\"")
        .contains("\"status\":\"CANCELLED\"");
    assertThat(resumed.body()).doesNotContain("QUEUED").contains("CANCELLED");
  }

  @Test
  void refusesToCancelAJobThatEndedOtherwise() {
    String fay = token("fay-" + UUID.randomUUID());
    String uploadId = upload(fay, TestImages.png(20, 20), "image/png");
    String id =
        send(post(
                "/v1/edits",
                fay,
                Map.of("prompt", "p", "inputs", List.of(Map.of("uploadId", uploadId)))))
            .json()
            .get("id")
            .asString();
    jobs.move(
        new EditJobId(id),
        new Transition.Failed(ErrorCode.INPUT_REJECTED, "the model refused it", "test"));

    Response cancel = send(post("/v1/edits/" + id + "/cancel", fay, "{}"));

    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.contentType()).startsWith("application/problem+json");
    assertThat(cancel.json().get("code").asString()).isEqualTo("ALREADY_FINISHED");
    assertThat(cancel.json().get("detail").asString()).contains("FAILED");
    assertThat(send(get("/v1/edits/" + id, fay)).json().get("status").asString())
        .isEqualTo("FAILED");
  }

  @Test
  void showsTheGlobalDailyBudgetAndWhatIsLeftOfIt() {
    String gus = token("gus-" + UUID.randomUUID());
    String uploadId = upload(gus, TestImages.png(20, 20), "image/png");
    Response before = send(get("/v1/usage", gus));

    send(
        post(
            "/v1/edits",
            gus,
            Map.of("prompt", "p", "inputs", List.of(Map.of("uploadId", uploadId)))));
    Response after = send(get("/v1/usage", gus));

    assertThat(before.json().get("limits").get("dailyBudgetUsd").decimalValue())
        .isEqualByComparingTo("50");
    assertThat(after.json().get("budgetLeftTodayUsd").decimalValue())
        .isEqualByComparingTo(new BigDecimal("50").subtract(usage.globalSpendToday()));
    assertThat(after.json().get("estimatedCostTodayUsd").decimalValue())
        .isEqualByComparingTo("0.15");
    assertThat(
            before
                .json()
                .get("budgetLeftTodayUsd")
                .decimalValue()
                .subtract(after.json().get("budgetLeftTodayUsd").decimalValue()))
        .as("the job's estimated cost was reserved from the shared budget")
        .isGreaterThanOrEqualTo(new BigDecimal("0.15"));
  }

  @Test
  void acceptsAWebhookUrlAtAPublicAddress() {
    String hal = token("hal-" + UUID.randomUUID());
    String uploadId = upload(hal, TestImages.png(20, 20), "image/png");

    Response accepted =
        send(
            post(
                "/v1/edits",
                hal,
                Map.of(
                    "prompt",
                    "p",
                    "inputs",
                    List.of(Map.of("uploadId", uploadId)),
                    "webhookUrl",
                    "https://93.184.215.14/hooks/editflow")));

    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
  }

  @Test
  void returnsTheSameJobForTheSameIdempotencyKeyEvenUnderConcurrency() throws Exception {
    String dave = token("dave-" + UUID.randomUUID());
    String uploadId = upload(dave, TestImages.png(20, 20), "image/png");
    Map<String, Object> body =
        Map.of("prompt", "once", "inputs", List.of(Map.of("uploadId", uploadId)));
    String key = UUID.randomUUID().toString();

    List<Callable<Response>> racers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      racers.add(() -> send(post("/v1/edits", dave, body).header("Idempotency-Key", key)));
    }
    List<String> ids = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
      for (Future<Response> result : pool.invokeAll(racers)) {
        Response response = result.get();
        assertThat(response.status()).as(response.toString()).isIn(200, 202, 409);
        if (response.status() != 409) {
          ids.add(response.json().get("id").asString());
        }
      }
    }
    Response otherBody =
        send(
            post(
                    "/v1/edits",
                    dave,
                    Map.of("prompt", "other", "inputs", List.of(Map.of("uploadId", uploadId))))
                .header("Idempotency-Key", key));

    assertThat(ids).isNotEmpty().allMatch(ids.getFirst()::equals);
    assertThat(send(get("/v1/edits?limit=100", dave)).json().get("items")).hasSize(1);
    assertThat(otherBody.status()).isEqualTo(422);
    assertThat(otherBody.json().get("code").asString()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
  }

  @Test
  void neverLetsConcurrentSubmitsExceedTheActiveJobLimit() throws Exception {
    String erin = token("erin-" + UUID.randomUUID());
    String uploadId = upload(erin, TestImages.png(20, 20), "image/png");

    List<Callable<Integer>> racers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int n = i;
      racers.add(
          () ->
              send(post(
                      "/v1/edits",
                      erin,
                      Map.of("prompt", "p" + n, "inputs", List.of(Map.of("uploadId", uploadId)))))
                  .status());
    }
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
      for (Future<Integer> result : pool.invokeAll(racers)) {
        statuses.add(result.get());
      }
    }

    // editflow.gateway.limits.max-active-jobs is 20 by default.
    assertThat(statuses.stream().filter(s -> s == 202)).hasSize(20);
    assertThat(statuses.stream().filter(s -> s == 429)).hasSize(10);
    assertThat(send(get("/v1/usage", erin)).json().get("activeJobs").asInt()).isEqualTo(20);
  }

  @Test
  void servesItsApiDescriptionAndMetrics() {
    assertThat(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET()).raw().body())
        .contains("/v1/edits");
    assertThat(send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET()).raw().body())
        .contains("editflow_jobs_accepted_total");
    assertThat(send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET()).status())
        .isEqualTo(200);
  }

  private static String firstEventId(String stream) {
    for (String line : stream.split("\n")) {
      if (line.startsWith("id:")) {
        return line.substring(3).strip();
      }
    }
    throw new AssertionError("no event id in " + stream);
  }

  /** The worker's submit marker: the job holds a fal slot while it is being submitted. */
  private void holdFalSlot(EditJobId id) {
    jdbc.sql("update edit_job set submit_started_at = now() where id = :id")
        .param("id", id.value())
        .update();
  }
}
