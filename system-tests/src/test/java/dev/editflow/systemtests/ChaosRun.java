package dev.editflow.systemtests;

import dev.editflow.systemtests.EditflowApi.Response;
import dev.editflow.testsupport.ServiceProcess;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Submits jobs through the API while a fault loop SIGKILLs and restarts workers and archivers,
 * drops broker connections, restarts RabbitMQ and PostgreSQL, takes S3 away and makes fal fail;
 * then waits for every job to end and counts what was lost, stuck or done twice.
 */
final class ChaosRun {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
  private static final Duration CLIENT_PATIENCE = Duration.ofMinutes(2);
  private static final Set<String> TERMINAL =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  private final ChaosSettings settings;
  private final EditflowStack stack;
  private final Random random = new Random(42);
  private final List<String> faults = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> promptsByJob = new ConcurrentHashMap<>();
  private volatile Duration slowestGracefulStop = Duration.ZERO;
  private volatile long mostJobsAtFal;

  ChaosRun(ChaosSettings settings, EditflowStack stack) {
    this.settings = settings;
    this.stack = stack;
  }

  ChaosSummary run() throws Exception {
    while (stack.workers.size() < settings.workers()) {
      stack.workers.add(stack.startWorker(b -> b));
    }
    while (stack.archivers.size() < settings.archivers()) {
      stack.archivers.add(stack.startArchiver());
    }
    simulator(
        Map.of(
            "timing",
            Map.of(
                "queue-wait-min", "200ms",
                "queue-wait-max", "1500ms",
                "processing-min", "300ms",
                "processing-max", "2000ms")));

    // Jobs are spread over the whole fault window, so every fault hits work in flight.
    Duration window = settings.faultEvery().multipliedBy(faultKinds().size() + 1L);
    Instant faultsEnd = Instant.now().plus(window);
    AtomicBoolean submitting = new AtomicBoolean(true);
    Thread chaos = Thread.ofPlatform().name("chaos").start(() -> injectFaultsWhile(submitting));
    AtomicBoolean running = new AtomicBoolean(true);
    Thread slotWatch = Thread.ofPlatform().name("fal-slots").start(() -> watchJobsAtFal(running));
    int accepted;
    try {
      accepted = submitAll(window);
    } finally {
      Duration left = Duration.between(Instant.now(), faultsEnd);
      if (!left.isNegative()) {
        Thread.sleep(left);
      }
      submitting.set(false);
      chaos.join();
    }
    healEverything();
    Instant settledBy = Instant.now().plus(settings.settleTimeout());
    while (Instant.now().isBefore(settledBy) && unfinished() > 0) {
      Thread.sleep(1000);
    }
    running.set(false);
    slotWatch.join();
    return summarise(accepted);
  }

  private int submitAll(Duration window) throws Exception {
    int clients = 8;
    long pauseMs = window.toMillis() * clients / Math.max(1, settings.jobs());
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        results.add(
            pool.submit(
                () -> {
                  // Eight users share the fal account; two of them are pro users.
                  EditflowApi api =
                      client < 2
                          ? EditflowApi.as(stack.gateway.baseUri(), "chaos-" + client, "pro")
                          : EditflowApi.as(stack.gateway.baseUri(), "chaos-" + client);
                  String uploadId = api.upload(Images.png(96, 64), "image/png");
                  int ok = 0;
                  for (int i = client; i < settings.jobs(); i += clients) {
                    String prompt = "chaos job " + i + " " + java.util.UUID.randomUUID();
                    Response response = tryCreate(api, prompt, uploadId, "chaos-" + i);
                    Instant giveUp = Instant.now().plus(CLIENT_PATIENCE);
                    while (worthRetrying(response) && Instant.now().isBefore(giveUp)) {
                      sleepQuietly(Duration.ofSeconds(1));
                      response = tryCreate(api, prompt, uploadId, "chaos-" + i);
                    }
                    sleepQuietly(Duration.ofMillis(pauseMs));
                    if (response != null && response.status() == 202) {
                      promptsByJob.put(response.json().get("id").asString(), prompt);
                      ok++;
                    } else {
                      LOG.warn("Job {} was not accepted: {}", i, response);
                    }
                  }
                  return ok;
                }));
      }
      int accepted = 0;
      for (Future<Integer> result : results) {
        accepted += result.get();
      }
      return accepted;
    }
  }

  /**
   * A client retries a failed request with the same Idempotency-Key, so a retry never doubles a
   * job.
   */
  private Response tryCreate(EditflowApi api, String prompt, String uploadId, String key) {
    try {
      return api.post(
          "/v1/edits",
          Map.of("prompt", prompt, "inputs", List.of(Map.of("uploadId", uploadId))),
          Map.of("Idempotency-Key", key + "-" + prompt.hashCode()));
    } catch (RuntimeException e) {
      return new Response(599, "", null, new byte[0]);
    }
  }

  /** What a well-behaved client retries: our outages, limits and its own racing retry. */
  private static boolean worthRetrying(Response response) {
    return response.status() >= 500 || response.status() == 429 || response.status() == 409;
  }

  private void injectFaultsWhile(AtomicBoolean keepGoing) {
    List<Runnable> kinds = faultKinds();
    int next = 0;
    // Every kind of fault happens at least once, however quickly the jobs go through.
    while (keepGoing.get() || next < kinds.size()) {
      sleepQuietly(settings.faultEvery());
      // Round-robin first so every kind happens at least once even in a short run.
      Runnable kind =
          next < kinds.size() ? kinds.get(next++) : kinds.get(random.nextInt(kinds.size()));
      try {
        kind.run();
      } catch (RuntimeException e) {
        LOG.error("Fault injection failed: {}", e.toString());
      }
    }
  }

  private List<Runnable> faultKinds() {
    List<Runnable> kinds = new ArrayList<>();
    kinds.add(
        () -> replace("kill -9 worker", stack.workers, () -> stack.startWorker(b -> b), false));
    kinds.add(() -> replace("kill -9 archiver", stack.archivers, stack::startArchiver, false));
    kinds.add(
        () -> replace("SIGTERM worker", stack.workers, () -> stack.startWorker(b -> b), true));
    kinds.add(() -> replace("SIGTERM archiver", stack.archivers, stack::startArchiver, true));
    kinds.add(this::dropBrokerConnections);
    kinds.add(this::pauseS3);
    kinds.add(this::falFaults);
    if (settings.restartInfrastructure() && LocalServices.available()) {
      kinds.add(() -> fault("restart RabbitMQ", LocalServices::restartRabbitMq));
      kinds.add(() -> fault("restart PostgreSQL", LocalServices::restartPostgres));
    }
    return kinds;
  }

  /**
   * Ends one of {@code processes} with {@code end} and starts a replacement: SIGKILL as in a crash,
   * or SIGTERM as in a rolling deploy (which must finish or hand back in-flight work in time).
   */
  private void replace(
      String name,
      List<ServiceProcess> processes,
      java.util.function.Supplier<ServiceProcess> starter,
      boolean graceful) {
    fault(
        name,
        () -> {
          int index = random.nextInt(processes.size());
          if (graceful) {
            Duration took = processes.get(index).stop();
            slowestGracefulStop =
                took.compareTo(slowestGracefulStop) > 0 ? took : slowestGracefulStop;
          } else {
            processes.get(index).kill();
          }
          processes.set(index, starter.get());
        });
  }

  private void dropBrokerConnections() {
    fault("drop broker connections", () -> TestRabbit.get().closeAllConnections());
  }

  private void pauseS3() {
    fault(
        "pause S3 for 5 s",
        () -> {
          TestS3.get().stop();
          sleepQuietly(Duration.ofSeconds(5));
          TestS3.get().restart();
        });
  }

  private void falFaults() {
    fault(
        "fal 429/503 for 5 s",
        () -> {
          simulator(falFaults(0.3, 0.1, 0.2));
          sleepQuietly(Duration.ofSeconds(5));
          simulator(falFaults(0, 0, 0));
        });
  }

  private static Map<String, Object> falFaults(
      double submit429, double submit503, double status503) {
    return Map.of(
        "faults",
        Map.of(
            "submit", Map.of("http429", submit429, "http503", submit503),
            "status", Map.of("http503", status503)));
  }

  private void fault(String name, Runnable action) {
    LOG.warn("CHAOS: {}", name);
    faults.add(name);
    action.run();
  }

  /** After the storm: every process up again. */
  private void healEverything() {
    for (int i = 0; i < stack.workers.size(); i++) {
      if (!stack.workers.get(i).isAlive()) {
        stack.workers.set(i, stack.startWorker(b -> b));
      }
    }
    for (int i = 0; i < stack.archivers.size(); i++) {
      if (!stack.archivers.get(i).isAlive()) {
        stack.archivers.set(i, stack.startArchiver());
      }
    }
  }

  private void simulator(Map<String, Object> settings) {
    Response response =
        EditflowApi.send(
            HttpRequest.newBuilder(stack.simulator.baseUri().resolve("/_sim/settings"))
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        EditflowApi.JSON.writeValueAsString(settings)))
                .build());
    if (response.status() >= 300) {
      throw new IllegalStateException("simulator settings: " + response);
    }
  }

  /** The fal account's limit must hold across both workers, whatever fails. */
  private void watchJobsAtFal(AtomicBoolean running) {
    while (running.get()) {
      try (Connection db = database();
          ResultSet rs =
              db.createStatement()
                  .executeQuery(
                      "select count(*) from edit_job where status in ('SUBMITTED', 'IN_PROGRESS')"
                          + " or (status = 'QUEUED' and submit_started_at is not null)")) {
        rs.next();
        long atFal = rs.getLong(1);
        mostJobsAtFal = Math.max(mostJobsAtFal, atFal);
      } catch (SQLException e) {
        // database restarting
      }
      sleepQuietly(Duration.ofMillis(50));
    }
  }

  private long unfinished() throws SQLException {
    try (Connection db = database();
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "select count(*) from edit_job where owner_id like 'chaos-%' "
                        + "and status not in ('SUCCEEDED','FAILED','CANCELLED','TIMED_OUT')")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return Long.MAX_VALUE; // database restarting
    }
  }

  private ChaosSummary summarise(int accepted) throws SQLException {
    Map<String, String> statusById = new HashMap<>();
    Map<String, Integer> attemptsById = new HashMap<>();
    Map<String, Integer> outputsById = new HashMap<>();
    Duration maxTimeToTerminal = Duration.ZERO;
    Map<String, Integer> failedByCode = new HashMap<>();
    try (Connection db = database();
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "select j.id, j.status, j.attempt, j.error_code, j.created_at, j.updated_at, "
                        + "(select count(*) from edit_output o where o.job_id = j.id) "
                        + "from edit_job j where j.owner_id like 'chaos-%'")) {
      while (rs.next()) {
        String id = rs.getString(1);
        String status = rs.getString(2);
        statusById.put(id, status);
        attemptsById.put(id, rs.getInt(3));
        outputsById.put(id, rs.getInt(7));
        if (TERMINAL.contains(status)) {
          Duration took =
              Duration.between(rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
          maxTimeToTerminal = took.compareTo(maxTimeToTerminal) > 0 ? took : maxTimeToTerminal;
        }
        if (!"SUCCEEDED".equals(status) && TERMINAL.contains(status)) {
          failedByCode.merge(status + "/" + rs.getString(4), 1, Integer::sum);
        }
      }
    }
    int lost =
        (int) promptsByJob.keySet().stream().filter(id -> !statusById.containsKey(id)).count();
    int stuck = (int) statusById.values().stream().filter(s -> !TERMINAL.contains(s)).count();
    int succeeded = (int) statusById.values().stream().filter("SUCCEEDED"::equals).count();

    Map<String, Integer> submissionsByPrompt = new HashMap<>();
    JsonNode requests =
        EditflowApi.send(
                HttpRequest.newBuilder(stack.simulator.baseUri().resolve("/_sim/requests"))
                    .GET()
                    .build())
            .json();
    JsonNode list = requests.isArray() ? requests : requests.path("requests");
    for (JsonNode request : list) {
      submissionsByPrompt.merge(request.path("prompt").asString(), 1, Integer::sum);
    }
    int duplicateSubmissions = 0;
    for (var job : promptsByJob.entrySet()) {
      int submissions = submissionsByPrompt.getOrDefault(job.getValue(), 0);
      duplicateSubmissions += Math.max(0, submissions - attemptsById.getOrDefault(job.getKey(), 1));
    }

    int duplicateArchives = 0;
    try (var s3 = TestS3.get().client()) {
      for (var job : outputsById.entrySet()) {
        int objects =
            s3.listObjectsV2(b -> b.bucket(TestS3.BUCKET).prefix("outputs/" + job.getKey() + "/"))
                .keyCount();
        duplicateArchives += Math.max(0, objects - job.getValue());
      }
    }
    return new ChaosSummary(
        accepted,
        succeeded,
        failedByCode,
        lost,
        stuck,
        duplicateSubmissions,
        duplicateArchives,
        maxTimeToTerminal,
        slowestGracefulStop,
        mostJobsAtFal,
        List.copyOf(faults));
  }

  private static Connection database() throws SQLException {
    TestPostgres postgres = TestPostgres.get();
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
