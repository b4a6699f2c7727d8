package dev.editflow.systemtests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.stack.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A burst several times what one gateway instance takes on, for 30 s: thousands of event streams,
 * list reads and creates at once, on top of a few hundred unfinished jobs (fal is slow), against a
 * second gateway instance with a small heap and small bounds. It must shed, never absorb until
 * death: liveness keeps answering, nearly every request gets a status (the shed ones 429 or 503
 * with {@code Retry-After}), no service runs out of memory, and a normal job succeeds right after.
 * Prints the figures.
 */
class OverloadSystemIT {

  private static final Duration BURST =
      Duration.ofSeconds(Integer.getInteger("overload.seconds", 30));
  private static final int USERS = 200;
  private static final int STREAMS_OFFERED_PER_USER = 10;
  private static final int READERS = 60;
  private static final int CREATORS = 20;
  private static final int MAX_IN_FLIGHT = 48;
  private static final int MAX_STREAMS = 400;
  private static final int MAX_STREAMS_PER_USER = 4;

  /**
   * Liveness is asked every 250 ms with a 2 s timeout; a loaded 2-core CI machine may stall the JVM
   * (GC, scheduling) past that a couple of times in a minute without the process being wedged.
   */
  private static final int LIVENESS_MISSES_ALLOWED = 2;

  /**
   * Requests without any status (connect or read failures, timeouts): at most 1 % of those sent.
   */
  private static final double NO_STATUS_ALLOWED = 0.01;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final EditflowStack stack = EditflowStack.get();
  private final Tally tally = new Tally();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Set<InputStream> openStreams = ConcurrentHashMap.newKeySet();
  private final Map<String, EditflowApi> jobs = new ConcurrentHashMap<>();

  @Test
  void shedsABurstBeyondCapacityAndServesANormalJobRightAfter() throws Exception {
    ServiceProcess gateway =
        stack.startGateway(
            builder ->
                builder
                    .jvmOption("-Xmx256m")
                    .with("editflow.gateway.load.max-in-flight", MAX_IN_FLIGHT)
                    .with("editflow.gateway.load.max-streams", MAX_STREAMS)
                    .with("editflow.gateway.load.max-streams-per-user", MAX_STREAMS_PER_USER));
    JsonNode timing = simulatorSettings().get("timing");
    try {
      stack.configureSimulator(
          Map.of("timing", Map.of("processing-min", "30s", "processing-max", "30s")));
      List<EditflowApi> users = users(gateway);
      List<String> streamJobs = unfinishedJobs(users);
      Liveness liveness = new Liveness(gateway);

      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        clients.submit(liveness::sampleLiveness);
        clients.submit(liveness::sampleReadiness);
        for (int u = 0; u < USERS; u++) {
          EditflowApi user = users.get(u);
          String job = streamJobs.get(u);
          for (int s = 0; s < STREAMS_OFFERED_PER_USER; s++) {
            clients.submit(() -> follow(user, job));
          }
        }
        IntStream.range(0, READERS).forEach(r -> clients.submit(() -> read(users.get(r))));
        IntStream.range(0, CREATORS).forEach(c -> clients.submit(() -> create(users.get(c))));
        Thread.sleep(BURST.toMillis());
        stopping.set(true);
        openStreams.forEach(OverloadSystemIT::closeQuietly);
      }

      System.out.println(tally.figures(liveness));
      assertThat(gateway.isAlive()).as("the gateway process is alive").isTrue();
      assertThat(liveness.misses.sum())
          .as("liveness samples unanswered within 2 s, of %d", liveness.samples.sum())
          .isLessThanOrEqualTo(LIVENESS_MISSES_ALLOWED);
      assertThat(tally.noStatus.sum())
          .as("requests without a status, of %d", tally.sent())
          .isLessThanOrEqualTo((long) (tally.sent() * NO_STATUS_ALLOWED));
      assertThat(tally.count(429) + tally.count(503)).as("requests shed").isPositive();
      assertThat(tally.shedWithoutRetryAfter.sum()).as("429/503 without Retry-After").isZero();
      assertThat(tally.count(500)).as("500 INTERNAL").isZero();
      assertThat(tally.streamsServed.sum()).as("event streams served").isPositive();
      assertThat(liveness.unready.sum()).as("readiness samples OUT_OF_SERVICE").isPositive();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(status(gateway, "readiness")).isEqualTo(200));

      cancelAll();
      stack.configureSimulator(Map.of("timing", timing));
      EditflowApi someone = EditflowApi.as(gateway.baseUri(), "after-the-burst");
      String prompt = "after the burst " + UUID.randomUUID();
      String normal = EditFlowSystemIT.createJob(someone, prompt);
      String ended;
      try {
        ended =
            await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                    () -> someone.get("/v1/edits/" + normal).json().get("status").asString(),
                    status ->
                        !List.of("QUEUED", "SUBMITTED", "IN_PROGRESS", "ARCHIVING")
                            .contains(status));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "the normal job did not end within 3 minutes of the burst: "
                + someone.get("/v1/edits/" + normal)
                + "\nthe simulator's view of it: "
                + simulatorGet("/_sim/requests?prompt=" + URLEncoder.encode(prompt, UTF_8))
                + "\nthe simulator: "
                + simulatorGet("/_sim/stats"),
            e);
      }
      assertThat(ended).isEqualTo("SUCCEEDED");
    } finally {
      stopping.set(true);
      stack.configureSimulator(Map.of("timing", timing));
      gateway.stop();
    }
    List<ServiceProcess> services = new ArrayList<>(List.of(gateway, stack.gateway));
    services.add(stack.simulator);
    services.addAll(stack.workers);
    services.addAll(stack.archivers);
    assertThat(services)
        .allSatisfy(
            service ->
                assertThat(Files.readString(service.log()))
                    .as(service.log().toString())
                    .doesNotContain("OutOfMemoryError"));
  }

  private List<EditflowApi> users(ServiceProcess gateway) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
      List<Future<EditflowApi>> logins =
          IntStream.range(0, USERS)
              .mapToObj(
                  u ->
                      threads.submit(
                          () -> EditflowApi.as(gateway.baseUri(), "overload-" + run + "-" + u)))
              .toList();
      List<EditflowApi> users = new ArrayList<>();
      for (var login : logins) {
        users.add(login.get());
      }
      return users;
    }
  }

  /** One unfinished job per user, for its streams to follow: fal takes 30 s over each. */
  private List<String> unfinishedJobs(List<EditflowApi> users) throws Exception {
    try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
      List<Future<String>> created =
          users.stream()
              .map(user -> threads.submit(() -> EditFlowSystemIT.createJob(user, "hold on")))
              .toList();
      List<String> ids = new ArrayList<>();
      for (int u = 0; u < users.size(); u++) {
        ids.add(created.get(u).get());
        jobs.put(ids.getLast(), users.get(u));
      }
      return ids;
    }
  }

  /** A client following a job as the TypeScript client does: it waits Retry-After when refused. */
  private void follow(EditflowApi user, String job) {
    while (!stopping.get()) {
      HttpRequest request =
          user.authorized("/v1/edits/" + job + "/events")
              .timeout(Duration.ofSeconds(10))
              .header("Accept", "text/event-stream")
              .GET()
              .build();
      try {
        HttpResponse<InputStream> response =
            CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        tally.record(response);
        try (InputStream body = response.body()) {
          if (response.statusCode() == 200) {
            tally.streamsServed.increment();
            openStreams.add(body);
            body.transferTo(OutputStream.nullOutputStream());
            openStreams.remove(body);
          } else {
            tally.code(response.statusCode(), body.readAllBytes());
            pause(retryAfter(response));
          }
        }
      } catch (IOException e) {
        if (!stopping.get()) {
          tally.noStatus.increment();
          pause(Duration.ofSeconds(1));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A hostile reader: lists its jobs again and again, whatever it is told. */
  private void read(EditflowApi user) {
    while (!stopping.get()) {
      send(user.authorized("/v1/edits?limit=20").timeout(Duration.ofSeconds(10)).GET().build());
      pause(Duration.ofMillis(50));
    }
  }

  /** A user creating jobs one after another, waiting Retry-After when refused. */
  private void create(EditflowApi user) {
    while (!stopping.get()) {
      HttpResponse<byte[]> upload =
          send(
              user.authorized("/v1/uploads")
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"contentType\":\"image/png\",\"contentLength\":"
                              + Images.png(64, 64).length
                              + "}"))
                  .build());
      if (upload == null || upload.statusCode() != 201) {
        pause(upload == null ? Duration.ofSeconds(1) : retryAfter(upload));
        continue;
      }
      String uploadId;
      try {
        uploadId = storeUpload(EditflowApi.JSON.readTree(upload.body()));
      } catch (RuntimeException s3Refused) {
        continue;
      }
      HttpResponse<byte[]> accepted =
          send(
              user.authorized("/v1/edits")
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"prompt\":\"burst\",\"inputs\":[{\"uploadId\":\""
                              + uploadId
                              + "\"}]}"))
                  .build());
      if (accepted != null && accepted.statusCode() == 202) {
        jobs.put(EditflowApi.JSON.readTree(accepted.body()).get("id").asString(), user);
      } else {
        pause(accepted == null ? Duration.ofSeconds(1) : retryAfter(accepted));
      }
    }
  }

  /** PUTs a small PNG to the presigned URL of an upload the gateway created. */
  private static String storeUpload(JsonNode created) {
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(created.get("url").asString()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(Images.png(64, 64)));
    created
        .path("headers")
        .properties()
        .forEach(
            header -> {
              if (!header.getKey().equalsIgnoreCase("content-length")
                  && !header.getKey().equalsIgnoreCase("host")) {
                put.header(header.getKey(), header.getValue().asString());
              }
            });
    EditflowApi.Response stored = EditflowApi.send(put.build());
    if (stored.status() != 200) {
      throw new IllegalStateException("PUT to S3: " + stored);
    }
    return created.get("uploadId").asString();
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
      tally.record(response);
      return response;
    } catch (IOException e) {
      if (!stopping.get()) {
        tally.noStatus.increment();
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Cancels every job of the run, each by its owner, so that the next job finds fal free. */
  private void cancelAll() {
    Map.copyOf(jobs)
        .forEach(
            (id, owner) ->
                assertThat(owner.post("/v1/edits/" + id + "/cancel", Map.of()).status())
                    .as("cancel %s", id)
                    .isIn(200, 202, 409));
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
        .orElse(Duration.ofSeconds(1));
  }

  private static int status(ServiceProcess service, String probe) {
    try {
      return CLIENT
          .send(
              HttpRequest.newBuilder(service.baseUri().resolve("/actuator/health/" + probe))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private JsonNode simulatorSettings() {
    return simulatorGet("/_sim/settings").json();
  }

  private EditflowApi.Response simulatorGet(String path) {
    return EditflowApi.send(
        HttpRequest.newBuilder(stack.simulator.baseUri().resolve(path)).build());
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // the client is leaving anyway
    }
  }

  /** Asks liveness and, separately, readiness every 250 ms while the burst lasts. */
  private final class Liveness {
    final ServiceProcess gateway;
    final LongAdder samples = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder readinessSamples = new LongAdder();
    final LongAdder unready = new LongAdder();

    Liveness(ServiceProcess gateway) {
      this.gateway = gateway;
    }

    void sampleLiveness() {
      while (!stopping.get()) {
        samples.increment();
        if (status(gateway, "liveness") != 200) {
          misses.increment();
        }
        pause(Duration.ofMillis(250));
      }
    }

    void sampleReadiness() {
      while (!stopping.get()) {
        readinessSamples.increment();
        if (status(gateway, "readiness") == 503) {
          unready.increment();
        }
        pause(Duration.ofMillis(250));
      }
    }
  }

  /** What the burst's requests were answered with. */
  private static final class Tally {
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
    final LongAdder noStatus = new LongAdder();
    final LongAdder shedWithoutRetryAfter = new LongAdder();
    final LongAdder streamsServed = new LongAdder();

    void code(int status, byte[] body) {
      String code;
      try {
        code = EditflowApi.JSON.readTree(body).path("code").asString("?");
      } catch (RuntimeException notProblemJson) {
        code = "?";
      }
      codes.computeIfAbsent(status + " " + code, c -> new LongAdder()).increment();
    }

    void record(HttpResponse<?> response) {
      statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
      if (response.body() instanceof byte[] body && response.statusCode() >= 400) {
        code(response.statusCode(), body);
      }
      if ((response.statusCode() == 429 || response.statusCode() == 503)
          && response.headers().firstValue("Retry-After").isEmpty()) {
        shedWithoutRetryAfter.increment();
      }
    }

    long count(int status) {
      LongAdder count = statuses.get(status);
      return count == null ? 0 : count.sum();
    }

    long sent() {
      return statuses.values().stream().mapToLong(LongAdder::sum).sum() + noStatus.sum();
    }

    String figures(Liveness liveness) {
      Map<Integer, Long> byStatus = new TreeMap<>();
      statuses.forEach((status, count) -> byStatus.put(status, count.sum()));
      Map<String, Long> byCode = new TreeMap<>();
      codes.forEach((code, count) -> byCode.put(code, count.sum()));
      long twoHundreds =
          byStatus.entrySet().stream()
              .filter(e -> e.getKey() / 100 == 2)
              .mapToLong(Map.Entry::getValue)
              .sum();
      long other = sent() - noStatus.sum() - twoHundreds - count(429) - count(503);
      return String.join(
          "\n",
          "Overload (" + BURST.toSeconds() + " s burst against one gateway, -Xmx256m):",
          "  requests offered      " + sent(),
          "  answered 2xx          " + twoHundreds,
          "  answered 429          " + count(429),
          "  answered 503          " + count(503),
          "  answered other        " + other,
          "  no status             " + noStatus.sum(),
          "  by status             " + byStatus,
          "  event streams served  " + streamsServed.sum(),
          "  liveness misses       " + liveness.misses.sum() + " of " + liveness.samples.sum(),
          "  readiness unready     "
              + liveness.unready.sum()
              + " of "
              + liveness.readinessSamples.sum(),
          "  shed, by code         " + byCode);
    }
  }
}
