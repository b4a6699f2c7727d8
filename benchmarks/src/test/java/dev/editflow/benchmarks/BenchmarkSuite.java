package dev.editflow.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the benchmarks against one stack, in an order where each leaves nothing behind that the next
 * would measure: B1 and B2 need every service, B4 only the archiver, B3 stops the archivers, B5
 * stops the workers too.
 */
final class BenchmarkSuite {

  private static final Logger LOG = LoggerFactory.getLogger(BenchmarkSuite.class);

  @FunctionalInterface
  interface Benchmark {
    void run(Stack stack, BenchmarkProfile profile, Results results) throws Exception;
  }

  private BenchmarkSuite() {}

  /**
   * Runs the benchmarks named in {@code only} (all when empty), writes the results to {@code
   * directory} and prints the table.
   */
  static Results run(BenchmarkProfile profile, Set<String> only, Path directory) {
    Map<String, Benchmark> benchmarks = new LinkedHashMap<>();
    benchmarks.put("B1", PipelineOverheadBenchmark::run);
    benchmarks.put("B2", ThroughputBenchmark::run);
    benchmarks.put("B4", ArchiverBenchmark::run);
    benchmarks.put("B3", InFlightBenchmark::run);
    benchmarks.put("B5", GatewayBenchmark::run);
    Results results = new Results(profile);
    Stack stack = Stack.start();
    Footprint.report(stack, results);
    try {
      for (Map.Entry<String, Benchmark> entry : benchmarks.entrySet()) {
        String id = entry.getKey();
        if (!only.isEmpty() && !only.contains(id)) {
          continue;
        }
        long start = System.nanoTime();
        LOG.info("Benchmark {} ({} profile) starts.", id, profile.name());
        try {
          entry.getValue().run(stack, profile, results);
        } catch (Exception | AssertionError e) {
          LOG.error("Benchmark {} failed.", id, e);
          results.failed(id, e);
        }
        LOG.info("Benchmark {} took {} s.", id, (System.nanoTime() - start) / 1_000_000_000);
        String wedged = stack.wedged();
        if (wedged != null) {
          // One wedged benchmark must not cost the others their run.
          LOG.error(
              "Benchmark {} left the system wedged ({}); starting fresh processes.", id, wedged);
          results.wedged(id, wedged);
          stack.close();
          stack = Stack.start();
        }
      }
    } finally {
      stack.close();
      JobStore.close();
    }
    String table = results.write(directory);
    System.out.println();
    System.out.println(
        "editflow benchmarks ("
            + profile.name()
            + " profile); results in "
            + directory.toAbsolutePath());
    System.out.println(table);
    return results;
  }

  /** {@code -Dbenchmark.only=B1,B4}: run only these. */
  static Set<String> onlyFromSystemProperties() {
    return Arrays.stream(System.getProperty("benchmark.only", "").split(","))
        .map(s -> s.trim().toUpperCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }
}
