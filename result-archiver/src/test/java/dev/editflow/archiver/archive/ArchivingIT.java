package dev.editflow.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.archiver.ResultArchiverApplication;
import dev.editflow.jobs.ArchivedOutput;
import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.JobTransition;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.messaging.MessageCodec;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.GeneratedImage;
import dev.editflow.model.message.MessageHeaders;
import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import dev.editflow.testsupport.TestImages;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The archiver end to end over real PostgreSQL, RabbitMQ and S3: jobs are moved to {@code
 * ARCHIVING} through the job store, whose outbox puts the {@code EditCompleted} on the queue, and
 * the outputs come from a real HTTP server on loopback.
 */
@SpringBootTest(
    classes = ResultArchiverApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ArchivingIT {

  static final MediaHost MEDIA = new MediaHost();
  static final Duration PATIENCE = Duration.ofSeconds(40);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
    TestS3.get().register(registry);
    registry.add("editflow.archiver.media.allowed-hosts", MEDIA::authority);
    registry.add("editflow.archiver.media.allow-http", () -> "true");
    registry.add("editflow.archiver.media.allow-loopback", () -> "true");
    registry.add("editflow.archiver.part-size", () -> "5MB");
    registry.add("editflow.messaging.retry-delays", () -> "200ms,500ms,1s,2s,3s,5s");
    registry.add("management.endpoint.health.group.readiness.show-components", () -> "always");
  }

  @Autowired EditJobs jobs;
  @Autowired JobArchiving archivingOf;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired MessageCodec codec;
  @Autowired MeterRegistry meters;
  @LocalServerPort int port;

  @BeforeEach
  void emptyParkingLot() {
    admin.purgeQueue(Topology.PARKING_LOT_QUEUE, false);
  }

  @Test
  void archivesEveryOutputWithWhatItMeasured() throws Exception {
    byte[] png = TestImages.png(64, 48);
    byte[] jpeg = TestImages.jpeg(40, 30);
    String path = "/files/" + UUID.randomUUID();
    List<GeneratedImage> images =
        List.of(
            image(0, MEDIA.put(path + "/a.png", png, "image/png", false), "image/png"),
            image(1, MEDIA.put(path + "/b.jpg", jpeg, "image/jpeg", true), "image/jpeg"),
            image(2, MEDIA.put(path + "/c.webp", TestImages.WEBP_1X1, "image/webp", false), null));

    EditJobId id = archiving(images).jobId();

    EditJob job = awaitEnd(id);
    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    List<ArchivedOutput> outputs = jobs.outputs(id);
    assertThat(outputs).hasSize(3);
    assertOutput(outputs.get(0), png, "image/png", 64, 48);
    assertOutput(outputs.get(1), jpeg, "image/jpeg", 40, 30);
    assertOutput(outputs.get(2), TestImages.WEBP_1X1, "image/webp", 1, 1);
    assertThat(outputs.get(0).objectKey()).isEqualTo("outputs/" + id + "/0.png");
    assertThat(outputs.get(1).objectKey()).isEqualTo("outputs/" + id + "/1.jpg");
    assertThat(counter("editflow.jobs.finished", "status", "SUCCEEDED")).isPositive();
    assertThat(meters.find("editflow.stage.duration").tag("stage", "archiving").timer().count())
        .isPositive();
    assertThat(meters.find("editflow.job.duration").timer().count()).isPositive();
  }

  @Test
  void changesNothingWhenTheSameCompletionArrivesAgain() throws Exception {
    String path = "/files/" + UUID.randomUUID() + "/0.png";
    EditCompleted completed =
        archiving(
            List.of(
                image(0, MEDIA.put(path, TestImages.png(8, 8), "image/png", false), "image/png")));
    EditJobId id = completed.jobId();
    assertThat(awaitEnd(id).status()).isEqualTo(JobStatus.SUCCEEDED);
    List<ArchivedOutput> outputsBefore = jobs.outputs(id);
    List<JobTransition> transitionsBefore = jobs.transitions(id, 0);
    double handledBefore = handled();

    rabbit.send(
        Topology.EXCHANGE,
        MessageType.EDIT_COMPLETED.routingKey(),
        codec.encode(completed, "duplicate-" + UUID.randomUUID()));

    await().atMost(PATIENCE).until(() -> handled() > handledBefore);
    assertThat(jobs.outputs(id)).isEqualTo(outputsBefore);
    assertThat(jobs.transitions(id, 0)).isEqualTo(transitionsBefore);
    assertThat(MEDIA.hits(path)).isEqualTo(1);
    assertThat(objectsOf(id)).hasSize(1);
  }

  @Test
  void failsWithOutputUnavailableWhenTheMediaIsGone() {
    EditJobId id =
        archiving(
                List.of(
                    image(
                        0, MEDIA.url("/files/" + UUID.randomUUID() + "/expired.png"), "image/png")))
            .jobId();

    EditJob job = awaitEnd(id);
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorCode()).isEqualTo(ErrorCode.OUTPUT_UNAVAILABLE);
    assertThat(lastReason(id)).contains("404");
  }

  @Test
  void failsWithOutputUnavailableWhenTheHostIsNotAllowed() {
    EditJobId id =
        archiving(List.of(image(0, "http://169.254.169.254/latest/meta-data/", "image/png")))
            .jobId();

    EditJob job = awaitEnd(id);
    assertThat(job.errorCode()).isEqualTo(ErrorCode.OUTPUT_UNAVAILABLE);
    assertThat(lastReason(id)).contains("not allowed");
  }

  @Test
  void failsWithOutputInvalidWhenTheMediaIsNotAnImage() {
    byte[] html =
        "<!doctype html><html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8);
    String url = MEDIA.put("/files/" + UUID.randomUUID() + "/0.png", html, "image/png", false);

    EditJobId id = archiving(List.of(image(0, url, "image/png"))).jobId();

    EditJob job = awaitEnd(id);
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorCode()).isEqualTo(ErrorCode.OUTPUT_INVALID);
    assertThat(objectsOf(id)).isEmpty();
  }

  @Test
  void failsWithOutputInvalidWhenTheHostSaysItIsNotAnImage() {
    String url =
        MEDIA.put(
            "/files/" + UUID.randomUUID() + "/0.png", TestImages.png(8, 8), "text/html", false);

    EditJob job = awaitEnd(archiving(List.of(image(0, url, "image/png"))).jobId());

    assertThat(job.errorCode()).isEqualTo(ErrorCode.OUTPUT_INVALID);
  }

  @Test
  void retriesWhileS3IsDownAndSucceedsOnceItIsBack() throws Exception {
    byte[] png = TestImages.png(32, 32);
    String url = MEDIA.put("/files/" + UUID.randomUUID() + "/0.png", png, "image/png", false);
    double retriedBefore = counter("editflow.archive.transient.failures", "cause", "s3");

    TestS3.get().stop();
    EditJobId id;
    try {
      id = archiving(List.of(image(0, url, "image/png"))).jobId();
      await()
          .atMost(PATIENCE)
          .until(
              () -> counter("editflow.archive.transient.failures", "cause", "s3") > retriedBefore);
      assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.ARCHIVING);
      HttpResponse<String> notReady = readiness();
      assertThat(notReady.statusCode()).as("not ready while S3 is down").isEqualTo(503);
      assertThat(notReady.body()).contains("\"s3\":{\"status\":\"DOWN\"");
    } finally {
      TestS3.get().restart();
    }
    await().atMost(PATIENCE).until(() -> readiness().statusCode() == 200);

    EditJob job = awaitEnd(id);
    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertOutput(jobs.outputs(id).getFirst(), png, "image/png", 32, 32);
  }

  @Test
  void archivesALargeOutputOfUnknownLengthPartByPart() throws Exception {
    ArchivedOutput output = archiveLarge(true);
    try (S3Client s3 = TestS3.get().client()) {
      String etag = s3.headObject(b -> b.bucket(TestS3.BUCKET).key(output.objectKey())).eTag();
      assertThat(etag).as("multipart ETag").endsWith("-5\"");
    }
  }

  @Test
  void streamsALargeOutputOfKnownLengthInOnePut() throws Exception {
    ArchivedOutput output = archiveLarge(false);
    try (S3Client s3 = TestS3.get().client()) {
      String etag = s3.headObject(b -> b.bucket(TestS3.BUCKET).key(output.objectKey())).eTag();
      assertThat(etag).as("single PUT ETag").doesNotContain("-");
    }
  }

  private ArchivedOutput archiveLarge(boolean chunked) throws Exception {
    byte[] large = TestImages.largePng(300, 200, 25 * 1024 * 1024);
    String url = MEDIA.put("/files/" + UUID.randomUUID() + "/big.png", large, "image/png", chunked);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);

    EditJobId id = archiving(List.of(image(0, url, "image/png"))).jobId();

    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
              return jobs.find(id).orElseThrow().status().isTerminal();
            });
    System.gc();
    long after = memory.getHeapMemoryUsage().getUsed();
    System.out.printf(
        "Archived %d bytes (%s): heap before %d MiB, peak %d MiB (+%d MiB),"
            + " after GC %d MiB (+%d MiB, includes S3Proxy's in-memory copy of the object)%n",
        large.length,
        chunked ? "chunked, multipart" : "known length, streamed",
        before >> 20,
        peak.get() >> 20,
        (peak.get() - before) >> 20,
        after >> 20,
        (after - before) >> 20);
    assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    ArchivedOutput output = jobs.outputs(id).getFirst();
    assertOutput(output, large, "image/png", 300, 200);
    return output;
  }

  @ParameterizedTest(name = "chunked={0}")
  @ValueSource(booleans = {false, true})
  void storesNothingWhenTheDownloadBreaksOffAndTheOutputOnceWhenItIsBack(boolean chunked)
      throws Exception {
    byte[] large = TestImages.largePng(300, 200, 12 * 1024 * 1024);
    String path = "/files/" + UUID.randomUUID() + "/cut.png";
    // Past the header window and the first part: the upload is under way when the line drops.
    String url = MEDIA.putCutOff(path, large, "image/png", chunked, 7 * 1024 * 1024);
    double retriedBefore = counter("editflow.archive.transient.failures", "cause", "media");

    EditJobId id = archiving(List.of(image(0, url, "image/png"))).jobId();

    await()
        .atMost(PATIENCE)
        .until(
            () -> counter("editflow.archive.transient.failures", "cause", "media") > retriedBefore);
    assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.ARCHIVING);
    assertThat(objectsOf(id)).as("no partial object").isEmpty();
    try (S3Client s3 = TestS3.get().client()) {
      assertThat(
              s3.listMultipartUploads(b -> b.bucket(TestS3.BUCKET).prefix("outputs/" + id + "/"))
                  .uploads())
          .as("no multipart upload left open")
          .isEmpty();
    }

    MEDIA.put(path, large, "image/png", chunked);

    assertThat(awaitEnd(id).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertOutput(jobs.outputs(id).getFirst(), large, "image/png", 300, 200);
    assertThat(objectsOf(id)).hasSize(1);
  }

  @Test
  void twoCopiesOfTheSameOutputAtOnceStoreAndRecordItOnce() throws Exception {
    byte[] large = TestImages.largePng(300, 200, 6 * 1024 * 1024);
    String path = "/files/" + UUID.randomUUID() + "/twice.png";
    String url = MEDIA.putHeld(path, large, "image/png", 3 * 1024 * 1024);

    EditCompleted completed = archiving(List.of(image(0, url, "image/png")));
    // The listener's copy is half sent; a redelivery of the same message starts a second one.
    await().atMost(PATIENCE).until(() -> MEDIA.hits(path) == 1);
    archivingOf.archive(completed);

    EditJob job = awaitEnd(completed.jobId());
    assertThat(MEDIA.hits(path)).isEqualTo(2);
    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(jobs.outputs(job.id())).hasSize(1);
    assertOutput(jobs.outputs(job.id()).getFirst(), large, "image/png", 300, 200);
    assertThat(objectsOf(job.id())).hasSize(1);
    assertThat(jobs.transitions(job.id(), 0))
        .filteredOn(t -> t.to() == JobStatus.SUCCEEDED)
        .hasSize(1);
  }

  @Test
  void parksAPoisonMessageWithItsReason() {
    Message poison =
        MessageBuilder.withBody("{\"jobId\": 42, garbage".getBytes(StandardCharsets.UTF_8))
            .setContentType("application/json")
            .setHeader(MessageHeaders.TYPE, MessageType.EDIT_COMPLETED.typeName())
            .setHeader(MessageHeaders.VERSION, 1)
            .build();

    rabbit.send(Topology.EXCHANGE, MessageType.EDIT_COMPLETED.routingKey(), poison);

    Message parked = rabbit.receive(Topology.PARKING_LOT_QUEUE, PATIENCE.toMillis());
    assertThat(parked).isNotNull();
    assertThat(parked.getMessageProperties().<String>getHeader(MessageHeaders.PARK_REASON))
        .isEqualTo("unparseable");
    assertThat(parked.getMessageProperties().<String>getHeader(MessageHeaders.PARKED_FROM_QUEUE))
        .isEqualTo(Topology.EDIT_COMPLETED_QUEUE);
  }

  private HttpResponse<String> readiness() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reportsReadinessOfDatabaseBrokerAndBucketAndServesMetrics() throws Exception {
    HttpResponse<String> readiness = readiness();
    HttpResponse<String> prometheus =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains("\"db\"", "\"rabbit\"", "\"s3\"");
    assertThat(prometheus.body())
        .contains("editflow_archive_bytes_total", "application=\"result-archiver\"");
  }

  // ---- fixtures ---------------------------------------------------------------------------

  private static GeneratedImage image(int index, String url, String contentType) {
    return new GeneratedImage(index, url, contentType, null, null, null);
  }

  /** A new job moved to ARCHIVING; the job store's outbox sends its EditCompleted. */
  private EditCompleted archiving(List<GeneratedImage> images) {
    EditJobId id = EditJobId.generate();
    jobs.create(
        new NewEditJob(
            id,
            "alice",
            "make the sky purple",
            "fal-ai/nano-banana-pro/edit",
            new EditParameters(images.size(), null, null, "png", null),
            List.of(EditInput.url("https://example.com/in.png")),
            null,
            null,
            null,
            new BigDecimal("0.15"),
            Instant.now().plus(Duration.ofMinutes(10))),
        "user:alice");
    String request = "req-" + id;
    assertThat(
            jobs.move(
                id,
                new Transition.Submitted(
                    1,
                    new FalRequest(request, "http://fal/s", "http://fal/r", "http://fal/c"),
                    Instant.now().plus(Duration.ofHours(1)))))
        .isTrue();
    EditCompleted completed = new EditCompleted(id, 1, request, images, Instant.now());
    assertThat(jobs.move(id, new Transition.Archiving(completed))).isTrue();
    return completed;
  }

  private EditJob awaitEnd(EditJobId id) {
    return await()
        .atMost(PATIENCE)
        .until(() -> jobs.find(id).orElseThrow(), job -> job.status().isTerminal());
  }

  private String lastReason(EditJobId id) {
    return jobs.transitions(id, 0).getLast().reason();
  }

  private static void assertOutput(
      ArchivedOutput output, byte[] served, String type, int width, int height) throws Exception {
    assertThat(output.contentType()).isEqualTo(type);
    assertThat(output.width()).isEqualTo(width);
    assertThat(output.height()).isEqualTo(height);
    assertThat(output.bytes()).isEqualTo(served.length);
    assertThat(output.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served)));
    try (S3Client s3 = TestS3.get().client()) {
      ResponseBytes<GetObjectResponse> stored =
          s3.getObjectAsBytes(b -> b.bucket(TestS3.BUCKET).key(output.objectKey()));
      assertThat(stored.asByteArray()).isEqualTo(served);
      assertThat(stored.response().contentType()).isEqualTo(type);
    }
  }

  private static List<S3Object> objectsOf(EditJobId id) {
    try (S3Client s3 = TestS3.get().client()) {
      return s3.listObjectsV2(b -> b.bucket(TestS3.BUCKET).prefix("outputs/" + id + "/"))
          .contents();
    }
  }

  private double handled() {
    return counter("editflow.messages.consumed", "outcome", "handled");
  }

  private double counter(String name, String tag, String value) {
    return meters.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
  }
}
