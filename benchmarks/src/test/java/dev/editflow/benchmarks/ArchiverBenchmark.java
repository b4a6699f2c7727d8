package dev.editflow.benchmarks;

import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.model.FalRequest;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.GeneratedImage;
import dev.editflow.stack.ServiceProcess;
import dev.editflow.testsupport.TestImages;
import dev.editflow.testsupport.TestS3;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAccumulator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * B4: the archiver copying one large output and many 1 MB outputs from a media host on loopback
 * into S3, beside plain AWS SDK {@code PutObject}s of the same bytes to the same S3 in this run.
 * Jobs reach ARCHIVING through {@code EditJobs.move} ({@code Transition.Archiving}), whose outbox
 * sends EditCompleted.
 */
final class ArchiverBenchmark {

  /** The archiver's listener concurrency; the raw baseline uploads with as many threads. */
  static final int ARCHIVER_CONSUMERS = 2;

  private ArchiverBenchmark() {}

  static void run(Stack stack, BenchmarkProfile profile, Results results) throws Exception {
    EditJobs store = JobStore.editJobs();
    ServiceProcess archiver = stack.archivers.getFirst();
    byte[] large = TestImages.largePng(300, 200, profile.archiveLargeBytes());
    byte[] small = TestImages.largePng(64, 64, profile.archiveSmallBytes());
    double largeMb = large.length / (double) BenchmarkProfile.MB;
    double smallMb = (double) small.length * profile.archiveSmallCount() / BenchmarkProfile.MB;

    // Warm-up: one small output through the archiver, one raw put.
    archiving(store, "b4w-u0", stack.media.put("/b4/warm.png", small));
    PipelineOverheadBenchmark.awaitFinished("b4w-", Duration.ofSeconds(60));

    ServiceJvm.gc(archiver);
    Thread.sleep(500);
    double heapBefore = heap(archiver);
    HeapWatch watch = HeapWatch.start(archiver);
    archiving(store, "b4l-u0", stack.media.put("/b4/large.png", large));
    PipelineOverheadBenchmark.awaitFinished("b4l-", Duration.ofSeconds(120));
    double heapPeakLarge = watch.stop();
    double largeSeconds = Latencies.of(JobsDb.archivingToSucceededMillis("b4l-")).max() / 1000;

    ServiceJvm.gc(archiver);
    Thread.sleep(500);
    double heapBeforeSmall = heap(archiver);
    watch = HeapWatch.start(archiver);
    for (int i = 0; i < profile.archiveSmallCount(); i++) {
      archiving(store, "b4s-u" + i, stack.media.put("/b4/small-" + i + ".png", small));
    }
    PipelineOverheadBenchmark.awaitFinished("b4s-", Duration.ofSeconds(180));
    double heapPeakSmall = watch.stop();
    double smallSeconds = JobsDb.archivingSpanSeconds("b4s-");
    // The jobs are handed over one after another: the span cannot be shorter than that.
    double smallHandOverSeconds = JobsDb.archivingHandOverSeconds("b4s-");
    Latencies smallEach = Latencies.of(JobsDb.archivingToSucceededMillis("b4s-"));

    double rawLargeSeconds;
    double rawSmallSeconds;
    try (S3Client s3 = TestS3.get().client()) {
      put(s3, "bench/raw-warm", small);
      long start = System.nanoTime();
      put(s3, "bench/raw-large", large);
      rawLargeSeconds = (System.nanoTime() - start) / 1e9;
      AtomicInteger next = new AtomicInteger();
      start = System.nanoTime();
      try (ExecutorService threads = Executors.newFixedThreadPool(ARCHIVER_CONSUMERS)) {
        for (int t = 0; t < ARCHIVER_CONSUMERS; t++) {
          threads.execute(
              () -> {
                for (int i = next.getAndIncrement();
                    i < profile.archiveSmallCount();
                    i = next.getAndIncrement()) {
                  put(s3, "bench/raw-small-" + i, small);
                }
              });
        }
      }
      rawSmallSeconds = (System.nanoTime() - start) / 1e9;
    }

    double largeRate = largeMb / largeSeconds;
    double rawLargeRate = largeMb / rawLargeSeconds;
    double smallRate = smallMb / smallSeconds;
    double rawSmallRate = smallMb / rawSmallSeconds;
    double growthLarge = (heapPeakLarge - heapBefore) / BenchmarkProfile.MB;
    String largeName = String.format("%.0f MB", largeMb);
    results.add(
        Figure.target(
                "B4.large",
                "archive one " + largeName + " output",
                largeRate,
                "MB/s",
                "≥ 80 % of raw",
                largeRate >= 0.8 * rawLargeRate)
            .withBaseline("raw SDK PutObject MB/s", rawLargeRate, largeRate / rawLargeRate));
    results.add(
        Figure.target(
                "B4.small",
                "archive " + profile.archiveSmallCount() + " × 1 MB outputs",
                smallRate,
                "MB/s",
                "≥ 80 % of raw",
                smallRate >= 0.8 * rawSmallRate)
            .withBaseline(
                "raw SDK PutObject MB/s (" + ARCHIVER_CONSUMERS + " threads)",
                rawSmallRate,
                smallRate / rawSmallRate));
    results.add(
        Figure.target(
            "B4.heap",
            "archiver old-gen heap growth, " + largeName + " output (peak − after-GC before)",
            growthLarge,
            "MB",
            "< 16 MB",
            growthLarge < 16));
    results.add(
        Figure.plain(
            "B4.heap.small",
            "archiver old-gen heap growth, " + profile.archiveSmallCount() + " × 1 MB",
            (heapPeakSmall - heapBeforeSmall) / BenchmarkProfile.MB,
            "MB"));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("largeBytes", large.length);
    details.put("largeSeconds", largeSeconds);
    details.put("rawLargeSeconds", rawLargeSeconds);
    details.put("smallCount", profile.archiveSmallCount());
    details.put("smallSeconds", smallSeconds);
    details.put("rawSmallSeconds", rawSmallSeconds);
    details.put("smallHandOverSeconds", smallHandOverSeconds);
    details.put("smallEachMillisP50", smallEach.p50());
    details.put("smallEachMillisMax", smallEach.max());
    details.put("heapBeforeLargeMb", heapBefore / BenchmarkProfile.MB);
    details.put("heapPeakLargeMb", heapPeakLarge / BenchmarkProfile.MB);
    details.put("statusesLarge", JobsDb.statuses("b4l-"));
    details.put("statusesSmall", JobsDb.statuses("b4s-"));
    results.detail("B4", details);
  }

  private static void put(S3Client s3, String key, byte[] bytes) {
    s3.putObject(
        b -> b.bucket(TestS3.BUCKET).key(key).contentType("image/png"),
        RequestBody.fromBytes(bytes));
  }

  /**
   * The old generation in use: what survives young collections, and where large buffers go. The
   * whole heap would mostly count young garbage (including this benchmark's own scrapes).
   */
  private static double heap(ServiceProcess service) {
    Prometheus metrics = Prometheus.scrape(service.baseUri());
    for (String oldGen : List.of("Tenured Gen", "G1 Old Gen", "PS Old Gen")) {
      double used = metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap", "id", oldGen));
      if (!Double.isNaN(used)) {
        return used;
      }
    }
    return metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap"));
  }

  /** A job moved to ARCHIVING with one output at {@code url}, as result-archiver's tests do. */
  private static void archiving(EditJobs store, String owner, String url) {
    EditJobId id = EditJobId.generate();
    store.create(
        new NewEditJob(
            id,
            owner,
            "b4",
            "fal-ai/nano-banana-pro/edit",
            new EditParameters(1, null, null, "png", null),
            List.of(EditInput.url("https://example.com/in.png")),
            null,
            null,
            null,
            new BigDecimal("0.15"),
            Instant.now().plus(Duration.ofMinutes(30))),
        "benchmarks");
    String request = "req-" + id;
    store.move(
        id,
        new Transition.Submitted(
            1,
            new FalRequest(request, "http://fal/s", "http://fal/r", "http://fal/c"),
            Instant.now().plus(Duration.ofHours(1))));
    store.move(
        id,
        new Transition.Archiving(
            new EditCompleted(
                id,
                1,
                request,
                List.of(new GeneratedImage(0, url, "image/png", null, null, null)),
                Instant.now())));
  }

  /** Samples a service's old generation every 50 ms until stopped; returns the peak. */
  private static final class HeapWatch {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final DoubleAccumulator peak = new DoubleAccumulator(Math::max, 0);
    private Thread thread;

    static HeapWatch start(ServiceProcess service) {
      HeapWatch watch = new HeapWatch();
      watch.thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (watch.running.get()) {
                      try {
                        watch.peak.accumulate(heap(service));
                        Thread.sleep(50);
                      } catch (InterruptedException e) {
                        return;
                      } catch (RuntimeException e) {
                        // a missed sample
                      }
                    }
                  });
      return watch;
    }

    double stop() throws InterruptedException {
      running.set(false);
      thread.join();
      return peak.get();
    }
  }
}
