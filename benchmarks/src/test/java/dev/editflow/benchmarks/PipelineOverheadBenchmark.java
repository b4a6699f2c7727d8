package dev.editflow.benchmarks;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * B1: what editflow adds to fal's own time. Jobs go through the API at a steady rate; the simulator
 * holds each for a fixed queue + processing time; the overhead is accept → SUCCEEDED minus that
 * time, server-side from the job store and client-side through the SSE stream.
 */
final class PipelineOverheadBenchmark {

  static final long QUEUE_MILLIS = 100;
  static final long PROCESSING_MILLIS = 400;

  /**
   * Only every n-th job is followed over SSE: each open stream costs the gateway a job-store query
   * several times a second, and following all of them would load the very pipeline measured.
   */
  static final int CLIENT_SAMPLE_EVERY = 10;

  private PipelineOverheadBenchmark() {}

  static void run(Stack stack, BenchmarkProfile profile, Results results) {
    stack.simulatorAdmin.fixedLatency(QUEUE_MILLIS, PROCESSING_MILLIS);
    double simulated = QUEUE_MILLIS + PROCESSING_MILLIS;
    int rate = profile.pipelineRate();

    // Warm-up (JIT, connection pools), not counted.
    long warmUpSeconds = Math.clamp(profile.pipelineDuration().toSeconds() / 6, 2, 10);
    load(stack, "b1w-", rate, Duration.ofSeconds(warmUpSeconds), new ConcurrentLinkedQueue<>());
    awaitFinished("b1w-", Duration.ofSeconds(60));

    JobCost.Mark beforeLoad = JobCost.mark(stack);
    Queue<Double> clientEndToEnd = new ConcurrentLinkedQueue<>();
    OpenLoop.Outcome accepted =
        load(stack, "b1-", rate, profile.pipelineDuration(), clientEndToEnd);
    awaitFinished("b1-", Duration.ofSeconds(60));

    Latencies server = Latencies.of(JobsDb.createdToSucceededMillis("b1-")).minus(simulated);
    JobCost.report(results, "B1", rate + " jobs/s", beforeLoad, stack, server.count());
    Latencies client = Latencies.of(clientEndToEnd).minus(simulated);
    String baseline = "simulator queue+processing (subtracted), ms";
    results.add(
        Figure.target(
                "B1.p50",
                "pipeline overhead p50 (server-side)",
                server.p50(),
                "ms",
                "≤ 20 ms",
                server.p50() <= 20)
            .withBaseline(baseline, simulated, null));
    results.add(
        Figure.plain("B1.p95", "pipeline overhead p95 (server-side)", server.p95(), "ms")
            .withBaseline(baseline, simulated, null));
    results.add(
        Figure.target(
                "B1.p99",
                "pipeline overhead p99 (server-side)",
                server.p99(),
                "ms",
                "≤ 100 ms",
                server.p99() <= 100)
            .withBaseline(baseline, simulated, null));
    results.add(
        Figure.plain(
            "B1.client.p50",
            "overhead p50, client-observed (POST → SSE SUCCEEDED)",
            client.p50(),
            "ms"));
    results.add(
        Figure.plain(
            "B1.client.p99",
            "overhead p99, client-observed (POST → SSE SUCCEEDED)",
            client.p99(),
            "ms"));
    results.add(
        Figure.plain(
            "B1.accept.p99",
            "POST /v1/edits latency p99 at " + rate + " jobs/s",
            accepted.latencies().p99(),
            "ms"));
    // 50 jobs/s needs more CPU than a 2-core machine running every service and the load has; the
    // same measure at a fifth of it shows the overhead when nothing queues for the CPU.
    int quietRate = Math.max(1, rate / 5);
    JobCost.Mark beforeQuiet = JobCost.mark(stack);
    load(
        stack,
        "b1q-",
        quietRate,
        profile.pipelineDuration().dividedBy(2),
        new ConcurrentLinkedQueue<>());
    awaitFinished("b1q-", Duration.ofSeconds(60));
    Latencies quiet = Latencies.of(JobsDb.createdToSucceededMillis("b1q-")).minus(simulated);
    JobCost.report(results, "B1.quiet", quietRate + " jobs/s", beforeQuiet, stack, quiet.count());
    results.add(
        Figure.plain(
                "B1.quiet.p50",
                "pipeline overhead p50 at " + quietRate + " jobs/s (below saturation)",
                quiet.p50(),
                "ms")
            .withBaseline(baseline, simulated, null));
    results.add(
        Figure.plain(
                "B1.quiet.p99",
                "pipeline overhead p99 at " + quietRate + " jobs/s (below saturation)",
                quiet.p99(),
                "ms")
            .withBaseline(baseline, simulated, null));
    Prometheus worker = Prometheus.scrape(stack.workers.getFirst().baseUri());
    for (double q : new double[] {0.5, 0.99}) {
      results.add(
          Figure.plain(
              "B1.submit-window.p" + Math.round(q * 100),
              "submit window p" + Math.round(q * 100) + " (submit sent → fal request id committed)",
              worker.quantile("editflow_worker_submit_window_seconds", q) * 1000,
              "ms"));
    }
    results.detail(
        "B1",
        Map.of(
            "offeredJobsPerSecond", rate,
            "seconds", profile.pipelineDuration().toSeconds(),
            "accepted", accepted.ok(),
            "rejectedOrFailed", accepted.failed(),
            "succeeded", server.count(),
            "clientObserved",
                client.count() + " (every " + CLIENT_SAMPLE_EVERY + "th job, over SSE)",
            "statuses", JobsDb.statuses("b1-"),
            "serverMax", server.max(),
            "tracking", "fal webhooks (gateway → FalWebhookReceived → worker)",
            "errors", String.valueOf(accepted.errors())));
  }

  private static OpenLoop.Outcome load(
      Stack stack, String prefix, int rate, Duration duration, Queue<Double> endToEnd) {
    ApiUsers users = ApiUsers.login(stack.gateway.baseUri(), prefix, 10);
    try (ExecutorService followers = Executors.newVirtualThreadPerTaskExecutor()) {
      return OpenLoop.run(
          rate,
          duration,
          i -> {
            ApiUser user = users.get(i);
            long sent = System.nanoTime();
            HttpResponse<String> response =
                Http.CLIENT.send(user.createEdit(prefix + i), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
              return false;
            }
            String id = Http.JSON.readTree(response.body()).get("id").asString();
            if (i % CLIENT_SAMPLE_EVERY == 0) {
              followers.execute(() -> follow(user, id, sent, endToEnd));
            }
            return true;
          });
    }
  }

  /** Reads the job's SSE stream until it ends; records when SUCCEEDED arrived. */
  private static void follow(ApiUser user, String id, long sentNanos, Queue<Double> endToEnd) {
    try {
      HttpResponse<Stream<String>> response =
          Http.CLIENT.send(user.events(id), HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = response.body()) {
        Iterator<String> it = lines.iterator();
        while (it.hasNext()) {
          String line = it.next();
          if (line.startsWith("data:") && line.contains("\"SUCCEEDED\"")) {
            endToEnd.add((System.nanoTime() - sentNanos) / 1e6);
            return;
          }
        }
      }
    } catch (IOException e) {
      // a lost stream only means one client-side sample fewer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void awaitFinished(String prefix, Duration patience) {
    try {
      Awaitility.await()
          .atMost(patience)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> JobsDb.unfinished(prefix) == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported through the statuses in the details
    }
  }
}
