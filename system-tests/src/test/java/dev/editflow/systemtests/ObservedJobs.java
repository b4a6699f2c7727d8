package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.systemtests.EditflowApi.Response;
import dev.editflow.testsupport.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Real jobs run once per test JVM under a real Prometheus, for the observability tests: one that
 * succeeds with two outputs and tells the client's webhook, one that fal fails (content policy),
 * and one cancelled by its owner while fal runs it. Prometheus scrapes the stack's services from
 * before the first job.
 */
final class ObservedJobs {

  static final WebhookReceiver WEBHOOKS = new WebhookReceiver();

  final EditflowStack stack;
  final PrometheusServer prometheus;
  final EditflowApi user;
  volatile String succeeded;
  volatile String failed;
  volatile String cancelled;
  private volatile Instant ranAt;

  private ObservedJobs() {
    stack = EditflowStack.get();
    // Every instance: after the chaos run the stack has more than one worker and archiver.
    Map<String, List<ServiceProcess>> jobs = new LinkedHashMap<>();
    jobs.put("api-gateway", List.of(stack.gateway));
    jobs.put("edit-worker", List.copyOf(stack.workers));
    jobs.put("result-archiver", List.copyOf(stack.archivers));
    jobs.put("fal-simulator", List.of(stack.simulator));
    prometheus = PrometheusServer.start(jobs);
    user = EditflowApi.as(stack.gateway.baseUri(), "observer-" + UUID.randomUUID());
    runJobs();
  }

  /**
   * Runs the jobs again when the last run is older than {@code age}: rates over the dashboards'
   * 5-minute windows need recent samples, and tests that ran in between (the chaos run kills the
   * gateway) may have replaced the processes whose counters held them.
   */
  synchronized void runAgainIfOlderThan(Duration age) {
    if (ranAt.plus(age).isBefore(Instant.now())) {
      runJobs();
    }
  }

  private void runJobs() {
    ranAt = Instant.now();
    Response unknown = user.get("/v1/edits/" + UUID.randomUUID());
    assertThat(unknown.status()).as("a problem for the problem panels: " + unknown).isEqualTo(404);

    String hook = "/observed/" + UUID.randomUUID();
    succeeded =
        create(
            Map.of(
                "prompt",
                "observe me " + UUID.randomUUID(),
                "numImages",
                2,
                "webhookUrl",
                WEBHOOKS.url(hook)));
    assertThat(awaitStatus(succeeded, "SUCCEEDED").get("outputs")).hasSize(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> !WEBHOOKS.receivedAt(hook).isEmpty());

    try (var blocking = stack.changeSimulator(Map.of("faults", Map.of("content-policy", 1)))) {
      failed = create(Map.of("prompt", "fail me " + UUID.randomUUID()));
      assertThat(awaitStatus(failed, "FAILED").at("/error/code").asString())
          .isEqualTo("CONTENT_POLICY");
    }

    try (var stuck = stack.changeSimulator(Map.of("faults", Map.of("stuck", 1)))) {
      cancelled = create(Map.of("prompt", "cancel me " + UUID.randomUUID()));
      awaitStatus(cancelled, "IN_PROGRESS");
      Response cancel = user.post("/v1/edits/" + cancelled + "/cancel", Map.of());
      assertThat(cancel.status())
          .as("this call started the cancellation: " + cancel)
          .isEqualTo(202);
      awaitStatus(cancelled, "CANCELLED");
    }
  }

  private static final class Holder {
    static final ObservedJobs INSTANCE = new ObservedJobs();
  }

  static ObservedJobs get() {
    return Holder.INSTANCE;
  }

  List<String> all() {
    return List.of(succeeded, failed, cancelled);
  }

  private String create(Map<String, Object> fields) {
    Map<String, Object> body = new LinkedHashMap<>(fields);
    body.put("inputs", List.of(Map.of("uploadId", user.upload(Images.png(96, 64), "image/png"))));
    Response accepted = user.post("/v1/edits", body);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return accepted.json().get("id").asString();
  }

  private JsonNode awaitStatus(String id, String status) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> user.get("/v1/edits/" + id).json(),
            job -> status.equals(job.get("status").asString()));
  }
}
