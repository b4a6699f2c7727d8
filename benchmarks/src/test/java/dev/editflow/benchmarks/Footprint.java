package dev.editflow.benchmarks;

import dev.editflow.testsupport.ServiceProcess;
import java.util.Map;

/**
 * Each service's start and idle footprint: launch to healthy (the four JVMs start at once on the
 * same cores, as after a node restart, so each start competes with three others), and heap in use
 * after a full GC and resident memory once started and idle.
 */
final class Footprint {

  private Footprint() {}

  static void report(Stack stack, Results results) {
    for (Map.Entry<ServiceProcess, java.time.Duration> entry : stack.readyAfter.entrySet()) {
      ServiceProcess service = entry.getKey();
      String id = "S." + service.name();
      results.add(
          Figure.plain(
              id + ".ready",
              service.name() + ": launch to healthy (4 services starting at once)",
              entry.getValue().toMillis(),
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
}
