package dev.editflow.worker;

import static org.awaitility.Awaitility.await;

import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.messaging.MessageCodec;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import dev.editflow.model.UploadId;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import dev.editflow.storage.ObjectKeys;
import dev.editflow.testsupport.TestImages;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The whole worker against real PostgreSQL, RabbitMQ and S3 and the real fal-simulator over HTTP.
 * Jobs are created the way the gateway creates them: an upload in S3, then {@link EditJobs#create},
 * whose outbox publishes the {@link EditRequested}.
 */
// Each class gets its own workers: a cached context would keep consuming the same queues.
@DirtiesContext
@SpringBootTest(
    classes = EditWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class WorkerIntegrationTest {

  static final String MODEL = "fal-ai/nano-banana/edit";

  @Autowired EditJobs jobs;
  @Autowired RabbitTemplate rabbit;
  @Autowired MessageCodec codec;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
    TestS3.get().register(registry);
    registry.add("editflow.fal.base-url", () -> FalSimulator.baseUri().toString());
    registry.add("editflow.fal.key", () -> FalSimulator.KEY);
    registry.add("editflow.worker.attempt-backoff", () -> "100ms");
  }

  /** A unique prompt, so the simulator's submissions of one test can be told apart. */
  static String prompt(String what) {
    return what + " " + UUID.randomUUID();
  }

  EditJobId createJob(String prompt, Duration deadline) {
    return createJob(jobs, prompt, deadline);
  }

  static EditJobId createJob(EditJobs jobs, String prompt, Duration deadline) {
    return createJob(jobs, "worker-tests", NewEditJob.DEFAULT_TIER, prompt, deadline);
  }

  static EditJobId createJob(
      EditJobs jobs, String owner, String tier, String prompt, Duration deadline) {
    UploadId upload = UploadId.generate();
    String key = ObjectKeys.upload(upload);
    try (var s3 = TestS3.get().client()) {
      s3.putObject(
          b -> b.bucket(TestS3.BUCKET).key(key).contentType("image/png"),
          RequestBody.fromBytes(TestImages.png(64, 48)));
    }
    return jobs.create(
            new NewEditJob(
                EditJobId.generate(),
                owner,
                prompt,
                MODEL,
                new EditParameters(1, "1:1", null, "png", null),
                List.of(EditInput.upload(upload.value(), key)),
                null,
                null,
                null,
                new BigDecimal("0.04"),
                Instant.now().plus(deadline),
                tier),
            "test")
        .id();
  }

  /** Sends an {@link EditRequested} by hand, as a redelivery or a duplicate publish would. */
  void publishEditRequested(EditJobId id, int attempt) {
    EditRequested requested = new EditRequested(id, attempt, Instant.now());
    rabbit.send(
        Topology.EXCHANGE,
        MessageType.of(requested).routingKey(),
        codec.encode(requested, UUID.randomUUID().toString()));
  }

  EditJob job(EditJobId id) {
    return jobs.find(id).orElseThrow();
  }

  JobStatus status(EditJobId id) {
    return job(id).status();
  }

  void awaitStatus(EditJobId id, JobStatus status, Duration atMost) {
    await().atMost(atMost).until(() -> status(id) == status);
  }

  /**
   * The job's {@link EditCompleted} from the archiver's queue. Nobody consumes that queue in these
   * tests, so it may hold hundreds of earlier classes' messages: each look drains what is there.
   */
  EditCompleted awaitCompleted(EditJobId id) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Message message;
              while ((message = rabbit.receive(Topology.EDIT_COMPLETED_QUEUE, 200)) != null) {
                EditCompleted completed = codec.decode(message, EditCompleted.class);
                if (completed.jobId().equals(id)) {
                  return completed;
                }
              }
              return null;
            },
            completed -> completed != null);
  }
}
