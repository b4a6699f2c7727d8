package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.systemtests.EditflowApi.Response;
import dev.editflow.testsupport.TestPostgres;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fair share of the fal account across two worker processes: a heavy user's backlog of three times
 * the account's slots, then one job of a light user, with the simulator at about 1 s per edit. Both
 * workers hand out slots; the light user's job still finishes before half the backlog.
 */
class FairShareSystemIT {

  private static final Pattern SUBMITTED =
      Pattern.compile("(?m)^editflow_jobs_submitted_total\\{[^}]*} ([0-9.E+]+)$");

  static EditflowStack stack;
  static EditflowStack.SimulatorChange slowEdits;

  @BeforeAll
  static void twoWorkersAndOneSecondEdits() {
    stack = EditflowStack.get();
    while (stack.workers.size() < 2) {
      stack.workers.add(stack.startWorker(b -> b));
    }
    // Slow edits, so that the backlog is still waiting when the light user comes, however slowly
    // a loaded machine accepts the heavy user's jobs.
    slowEdits =
        stack.changeSimulator(
            Map.of(
                "timing",
                Map.of(
                    "queue-wait-min", "0ms",
                    "queue-wait-max", "50ms",
                    "processing-min", "9000ms",
                    "processing-max", "10000ms")));
  }

  @AfterAll
  static void usualTiming() {
    slowEdits.close();
  }

  @Test
  void aLightUserIsNotStuckBehindAHeavyUsersBacklogWhicheverWorkerHandsOutTheSlots() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    EditflowApi heavy = EditflowApi.as(stack.gateway.baseUri(), "heavy-" + run);
    EditflowApi light = EditflowApi.as(stack.gateway.baseUri(), "light-" + run);
    List<Double> submittedBefore = stack.workers.stream().map(w -> submitted(w)).toList();
    int slots = EditflowStack.FAL_CONCURRENCY;
    int backlog = 4 * slots;

    String heavyUpload = heavy.upload(Images.png(64, 64), "image/png");
    String lightUpload = light.upload(Images.png(64, 64), "image/png");
    List<String> heavyJobs;
    try (ExecutorService clients = Executors.newFixedThreadPool(slots)) {
      List<Future<String>> created = new ArrayList<>();
      for (int i = 0; i < backlog; i++) {
        String prompt = "heavy " + i;
        created.add(clients.submit(() -> create(heavy, heavyUpload, prompt)));
      }
      heavyJobs = created.stream().map(FairShareSystemIT::result).toList();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                heavyJobs.stream()
                    .anyMatch(id -> heavy.get("/v1/edits/" + id).json().has("queuePosition")));
    String lightJob = create(light, lightUpload, "light");

    await()
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> heavyJobs.stream().allMatch(id -> succeeded(heavy, id)));
    await().atMost(Duration.ofSeconds(30)).until(() -> succeeded(light, lightJob));

    Instant lightAccepted = at(lightJob, "QUEUED");
    Instant lightSubmitted = at(lightJob, "SUBMITTED");
    List<Instant> heavySubmitted = heavyJobs.stream().map(id -> at(id, "SUBMITTED")).toList();
    long waitingWhenLightCame = heavySubmitted.stream().filter(lightAccepted::isBefore).count();
    long wentFirst =
        heavySubmitted.stream()
            .filter(t -> t.isAfter(lightAccepted) && t.isBefore(lightSubmitted))
            .count();
    List<Instant> heavyDone = heavyJobs.stream().map(id -> at(id, "SUCCEEDED")).sorted().toList();
    Instant heavyAccepted = at(heavyJobs.getFirst(), "QUEUED");
    System.out.printf(
        "Fair share across 2 workers, %d slots, ~10 s per edit: the light user's job came while %d"
            + " of the heavy user's %d jobs waited; %d of them went first; it waited %.1f s for a"
            + " slot and succeeded after %.1f s. Heavy user: all succeeded after %.1f s%n",
        slots,
        waitingWhenLightCame,
        backlog,
        wentFirst,
        seconds(lightAccepted, lightSubmitted),
        seconds(lightAccepted, at(lightJob, "SUCCEEDED")),
        seconds(heavyAccepted, heavyDone.getLast()));

    assertThat(waitingWhenLightCame)
        .as("a real backlog was waiting when the light user came")
        .isGreaterThanOrEqualTo(2L * slots);
    assertThat(wentFirst)
        .as("heavy jobs started between the light job's arrival and its start: one turn at most")
        .isLessThanOrEqualTo(slots);
    for (int w = 0; w < stack.workers.size(); w++) {
      assertThat(submitted(stack.workers.get(w)))
          .as("worker %d submitted some of the jobs", w)
          .isGreaterThan(submittedBefore.get(w));
    }
  }

  private static String create(EditflowApi api, String uploadId, String prompt) {
    Response accepted =
        api.post(
            "/v1/edits",
            Map.of(
                "prompt",
                prompt + " " + UUID.randomUUID(),
                "inputs",
                List.of(Map.of("uploadId", uploadId))));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return accepted.json().get("id").asString();
  }

  private static String result(Future<String> created) {
    try {
      return created.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static boolean succeeded(EditflowApi api, String id) {
    String status = api.get("/v1/edits/" + id).json().get("status").asString();
    assertThat(status).as(id).isIn("QUEUED", "SUBMITTED", "IN_PROGRESS", "ARCHIVING", "SUCCEEDED");
    return status.equals("SUCCEEDED");
  }

  /** When the job first reached {@code status}, from the job store's transitions. */
  private static Instant at(String id, String status) {
    TestPostgres postgres = TestPostgres.get();
    try (Connection db =
            DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.username(), postgres.password());
        PreparedStatement query =
            db.prepareStatement(
                "select min(at) from edit_job_transition where job_id = ? and to_status = ?")) {
      query.setString(1, id);
      query.setString(2, status);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Attempts this worker process submitted to fal, from its own metrics. */
  private static double submitted(ServiceProcess worker) {
    String metrics =
        EditflowApi.send(
                HttpRequest.newBuilder(worker.baseUri().resolve("/actuator/prometheus"))
                    .GET()
                    .build())
            .text();
    double total = 0;
    Matcher matcher = SUBMITTED.matcher(metrics);
    while (matcher.find()) {
      total += Double.parseDouble(matcher.group(1));
    }
    return total;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
