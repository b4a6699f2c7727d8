package dev.editflow.benchmarks;

import dev.editflow.stack.ServiceProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each service's start and idle footprint: launch to healthy (the four JVMs start at once on the
 * same cores, as after a node restart, so each start competes with three others), and heap in use
 * after a full GC and resident memory once started and idle, and the CPU each spends idle (pollers,
 * sweeps, gauges), which every job pays a share of at low rates.
 */
final class Footprint {

  private static final Duration IDLE_WINDOW = Duration.ofSeconds(10);

  private Footprint() {}

  static void report(Stack stack, Results results) {
    Map<ServiceProcess, Long> ticksBefore = new LinkedHashMap<>();
    stack.services().forEach(s -> ticksBefore.put(s, CpuAccount.ticks(s.pid())));
    sleep(IDLE_WINDOW);
    for (var entry : ticksBefore.entrySet()) {
      ServiceProcess service = entry.getKey();
      double millis =
          (CpuAccount.ticks(service.pid()) - entry.getValue()) * CpuAccount.MILLIS_PER_TICK;
      results.add(
          Figure.plain(
              "S." + service.name() + ".idle-cpu",
              service.name() + ": CPU spent idle, per second (right after start)",
              millis / IDLE_WINDOW.toSeconds(),
              "ms/s"));
    }
    for (ServiceProcess service : stack.services()) {
      String id = "S." + service.name();
      results.add(
          Figure.plain(
              id + ".ready",
              service.name() + ": launch to healthy (4 services starting at once)",
              service.readyAfter().toMillis(),
              "ms"));
      ServiceJvm.gc(service);
      double heap =
          Prometheus.scrape(service.baseUri()).sum("jvm_memory_used_bytes", Map.of("area", "heap"));
      results.add(
          Figure.plain(
              id + ".heap",
              service.name() + ": heap in use at idle, after a full GC",
              heap / 1e6,
              "MB"));
      results.add(
          Figure.plain(
              id + ".rss",
              service.name() + ": resident memory at idle",
              CpuAccount.residentMegabytes(service),
              "MB"));
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
