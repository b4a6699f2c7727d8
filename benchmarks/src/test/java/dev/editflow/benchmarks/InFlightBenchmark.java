package dev.editflow.benchmarks;

import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.model.EditJobId;
import dev.editflow.stack.ServiceProcess;
import dev.editflow.testsupport.TestImages;
import dev.editflow.testsupport.TestS3;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * B3: one worker with a 256 MB heap holding many jobs in progress at fal at once (the simulator
 * keeps each for a minute). Jobs are written straight into the job store in bulk (their
 * EditRequested goes out through the outbox as the gateway's would); the worker's own metrics give
 * heap, CPU and threads, the simulator's counters give status calls.
 */
final class InFlightBenchmark {

  private InFlightBenchmark() {}

  static void run(Stack stack, BenchmarkProfile profile, Results results) throws Exception {
    int jobs = profile.inFlightJobs();
    Duration hold = profile.inFlightHold();
    // Only this worker may hold the jobs; archiving them afterwards is not what B3 measures.
    stack.stopArchivers();
    stack.replaceWorkers(1, Stack.Tracking.POLLING, List.of("-Xmx256m"));
    ServiceProcess worker = stack.workers.getFirst();
    stack.simulatorAdmin.fixedLatency(0, hold.toMillis());

    String key = "uploads/b3-input";
    try (S3Client s3 = TestS3.get().client()) {
      s3.putObject(
          b -> b.bucket(TestS3.BUCKET).key(key).contentType("image/png"),
          RequestBody.fromBytes(TestImages.png(64, 64)));
    }
    long statusBefore = stack.simulatorAdmin.calls("status");
    EditJobs store = JobStore.editJobs();
    Instant started = Instant.now();
    insert(store, jobs, key);
    Duration insertTook = Duration.between(started, Instant.now());

    double peakHeap = 0;
    double peakCores = 0;
    double peakThreads = 0;
    List<double[]> samples = new ArrayList<>();
    long peakHeld = 0;
    long peakAtFalInDb = 0;
    double jobMinutesAtFal = 0;
    Duration sampleEvery = Duration.ofSeconds(1);
    Instant giveUpAt = Instant.now().plus(hold).plus(Duration.ofMinutes(4));
    Instant last = Instant.now();
    while (Instant.now().isBefore(giveUpAt)) {
      Thread.sleep(sampleEvery);
      URI base = worker.baseUri();
      Prometheus metrics = Prometheus.scrape(base);
      double heap = metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap"));
      double cpus = metrics.value("system_cpu_count");
      double cores = metrics.value("process_cpu_usage") * (Double.isNaN(cpus) ? 1 : cpus);
      double threads = metrics.value("jvm_threads_live_threads");
      long held = stack.simulatorAdmin.inProgress();
      Map<String, Integer> statuses = JobsDb.statuses("b3-");
      int atFal = statuses.getOrDefault("SUBMITTED", 0) + statuses.getOrDefault("IN_PROGRESS", 0);
      int queued = statuses.getOrDefault("QUEUED", 0);
      Instant now = Instant.now();
      jobMinutesAtFal += atFal * Duration.between(last, now).toMillis() / 60_000.0;
      last = now;
      peakHeap = Math.max(peakHeap, heap);
      peakCores = Math.max(peakCores, cores);
      peakThreads = Math.max(peakThreads, threads);
      peakHeld = Math.max(peakHeld, held);
      peakAtFalInDb = Math.max(peakAtFalInDb, atFal);
      samples.add(new double[] {atFal, cores});
      if (atFal == 0 && queued == 0) {
        break;
      }
    }
    long statusCalls = stack.simulatorAdmin.calls("status") - statusBefore;
    double callsPerJobMinute = statusCalls / Math.max(jobMinutesAtFal, 1e-9);
    // CPU while holding: the samples with at least 90 % of the peak at fal.
    double threshold = 0.9 * peakAtFalInDb;
    double meanCores =
        samples.stream()
            .filter(s -> s[0] >= threshold)
            .mapToDouble(s -> s[1])
            .average()
            .orElse(Double.NaN);
    long heldSamples = samples.stream().filter(s -> s[0] >= threshold).count();

    results.add(
        Figure.target(
                "B3.held",
                "jobs in progress at fal at once, one worker -Xmx256m",
                peakHeld,
                "jobs",
                "≥ " + jobs,
                peakHeld >= jobs)
            .withBaseline("jobs offered", jobs, (double) peakHeld / jobs));
    results.add(
        Figure.plain("B3.heap", "worker peak heap used", peakHeap / BenchmarkProfile.MB, "MB")
            .withBaseline("-Xmx", 256, peakHeap / BenchmarkProfile.MB / 256));
    results.add(
        Figure.target(
            "B3.cpu",
            "worker CPU while holding (mean)",
            meanCores,
            "cores",
            "< 1 core",
            meanCores < 1));
    results.add(Figure.plain("B3.cpu.peak", "worker CPU peak (1 s samples)", peakCores, "cores"));
    results.add(Figure.plain("B3.threads", "worker live threads (peak)", peakThreads, ""));
    results.add(
        Figure.target(
            "B3.status-calls",
            "fal status calls per job per minute at fal",
            callsPerJobMinute,
            "",
            "≤ 12",
            callsPerJobMinute <= 12));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("jobs", jobs);
    details.put("simulatorHoldSeconds", hold.toSeconds());
    details.put("insertSeconds", insertTook.toMillis() / 1000.0);
    details.put("peakInProgressAtSimulator", peakHeld);
    details.put("statusCalls", statusCalls);
    details.put("jobMinutesAtFal", jobMinutesAtFal);
    details.put("samplesWhileHeld", heldSamples);
    details.put("statusesAtEnd", JobsDb.statuses("b3-"));
    results.detail("B3", details);
  }

  /** Writes the jobs as the gateway would (job + EditRequested in the outbox), 16 at a time. */
  private static void insert(EditJobs store, int jobs, String key) {
    AtomicInteger next = new AtomicInteger();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
    try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
      for (int t = 0; t < 16; t++) {
        threads.execute(
            () -> {
              for (int i = next.getAndIncrement(); i < jobs; i = next.getAndIncrement()) {
                store.create(
                    new NewEditJob(
                        EditJobId.generate(),
                        "b3-u" + (i % 100),
                        "b3 " + i,
                        "fal-ai/nano-banana-pro/edit",
                        new EditParameters(1, null, null, "png", null),
                        List.of(EditInput.upload("b3-input", key)),
                        null,
                        null,
                        null,
                        new BigDecimal("0.15"),
                        deadline),
                    "benchmarks");
              }
            });
      }
    }
  }
}
