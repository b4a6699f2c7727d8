package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.messaging.MessageCodec;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import dev.editflow.model.UploadId;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.Topology;
import dev.editflow.testsupport.ServiceProcess;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker against the real fal-simulator over HTTP, real PostgreSQL, RabbitMQ and S3: a job goes
 * to fal once, however often its message arrives, and ends with the right status.
 */
// Each class gets its own workers: a cached context would keep consuming the same queues.
@DirtiesContext
@SpringBootTest(classes = EditWorkerApplication.class)
class WorkerFlowTests {

  static final ServiceProcess SIMULATOR =
      ServiceProcess.of("fal-simulator")
          .with("editflow.simulator.timing.queue-wait-min", "100ms")
          .with("editflow.simulator.timing.queue-wait-max", "200ms")
          .with("editflow.simulator.timing.processing-min", "300ms")
          .with("editflow.simulator.timing.processing-max", "500ms")
          .with("editflow.simulator.output.long-side", 128)
          .with("editflow.simulator.concurrency-limit", 20)
          .build()
          .start(Duration.ofSeconds(90));

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired EditJobs jobs;
  @Autowired RabbitTemplate rabbit;
  @Autowired MessageCodec codec;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
    TestS3.get().register(registry);
    registry.add("editflow.fal.base-url", () -> SIMULATOR.baseUri().toString());
  }

  @AfterAll
  static void stopSimulator() {
    SIMULATOR.stop();
  }

  @Test
  void submitsOnceAndHandsTheOutputsToTheArchiver() throws Exception {
    String prompt = "purple sky " + UUID.randomUUID();
    EditJobId id = createJob(prompt, Duration.ofMinutes(5));

    await().atMost(Duration.ofSeconds(30)).until(() -> status(id) == JobStatus.ARCHIVING);

    EditCompleted completed = awaitCompleted(id);
    assertThat(completed.attempt()).isEqualTo(1);
    assertThat(completed.images()).hasSize(1);
    assertThat(completed.images().getFirst().url()).startsWith(SIMULATOR.baseUri().toString());
    assertThat(jobs.find(id).orElseThrow().falRequest().requestId())
        .isEqualTo(completed.falRequestId());
    assertThat(submissions(prompt)).isEqualTo(1);
  }

  @Test
  void aRedeliveredRequestResumesInsteadOfSubmittingAgain() throws Exception {
    String prompt = "redelivered " + UUID.randomUUID();
    EditJobId id = createJob(prompt, Duration.ofMinutes(5));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.find(id).orElseThrow().falRequest() != null);

    for (int i = 0; i < 3; i++) {
      rabbit.send(
          Topology.EXCHANGE,
          "edit.requested",
          codec.encode(new EditRequested(id, 1, Instant.now()), "duplicate-" + i));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> status(id) == JobStatus.ARCHIVING);
    assertThat(submissions(prompt)).isEqualTo(1);
  }

  @Test
  void failsAContentPolicyRejectionWithItsStableCode() throws Exception {
    simulator("{\"faults\":{\"content-policy\":1.0}}");
    try {
      EditJobId id = createJob("blocked " + UUID.randomUUID(), Duration.ofMinutes(5));

      await().atMost(Duration.ofSeconds(30)).until(() -> status(id) == JobStatus.FAILED);
      assertThat(jobs.find(id).orElseThrow().errorCode()).isEqualTo(ErrorCode.CONTENT_POLICY);
    } finally {
      simulator("{\"faults\":{\"content-policy\":0.0}}");
    }
  }

  @Test
  void timesOutAJobThatNeverFinishesAndCancelsItAtFal() throws Exception {
    simulator("{\"faults\":{\"stuck\":1.0}}");
    try {
      String prompt = "stuck " + UUID.randomUUID();
      EditJobId id = createJob(prompt, Duration.ofSeconds(6));

      await().atMost(Duration.ofSeconds(40)).until(() -> status(id) == JobStatus.TIMED_OUT);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !jobs.find(id).orElseThrow().falCancelPending());
      assertThat(jobs.find(id).orElseThrow().errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
      assertThat(simulatorRequest(prompt).path("cancelled").asBoolean()).isTrue();
    } finally {
      simulator("{\"faults\":{\"stuck\":0.0}}");
    }
  }

  private EditJobId createJob(String prompt, Duration deadline) {
    return createJob(jobs, prompt, deadline);
  }

  static EditJobId createJob(EditJobs jobs, String prompt, Duration deadline) {
    UploadId upload = UploadId.generate();
    String key = "uploads/" + upload.value();
    try (var s3 = TestS3.get().client()) {
      s3.putObject(
          b -> b.bucket(TestS3.BUCKET).key(key).contentType("image/png"),
          RequestBody.fromBytes(png()));
    }
    return jobs.create(
            new NewEditJob(
                EditJobId.generate(),
                "worker-tests",
                prompt,
                "fal-ai/nano-banana/edit",
                new EditParameters(1, "1:1", null, "png", null),
                List.of(EditInput.upload(upload.value(), key)),
                null,
                null,
                null,
                new BigDecimal("0.04"),
                Instant.now().plus(deadline)),
            "test")
        .id();
  }

  private JobStatus status(EditJobId id) {
    return jobs.find(id).map(EditJob::status).orElseThrow();
  }

  private EditCompleted awaitCompleted(EditJobId id) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Message message = rabbit.receive(Topology.EDIT_COMPLETED_QUEUE, 1000);
              if (message == null) {
                return null;
              }
              EditCompleted completed = codec.decode(message, EditCompleted.class);
              return completed.jobId().equals(id) ? completed : null;
            },
            completed -> completed != null);
  }

  static long submissions(String prompt) throws Exception {
    long count = 0;
    for (JsonNode request : requests()) {
      if (prompt.equals(request.path("prompt").asString())) {
        count++;
      }
    }
    return count;
  }

  private static JsonNode simulatorRequest(String prompt) throws Exception {
    for (JsonNode request : requests()) {
      if (prompt.equals(request.path("prompt").asString())) {
        return request;
      }
    }
    throw new AssertionError("no fal request for " + prompt);
  }

  private static JsonNode requests() throws Exception {
    JsonNode body =
        JSON.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(SIMULATOR.baseUri().resolve("/_sim/requests")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    return body.isArray() ? body : body.path("requests");
  }

  private static void simulator(String settings) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(SIMULATOR.baseUri().resolve("/_sim/settings"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(settings))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isLessThan(300);
  }

  private static byte[] png() {
    try {
      BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
