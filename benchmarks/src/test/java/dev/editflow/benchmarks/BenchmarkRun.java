package dev.editflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark run behind {@code bin/benchmark}: not a {@code *Tests} class, so a normal build
 * never runs it; {@code -Dtest=BenchmarkRun} does. Reports, never gates on timings.
 */
class BenchmarkRun {

  @Test
  void measuresEditflowBesideSameRunBaselines() {
    Results results =
        BenchmarkSuite.run(
            BenchmarkProfile.fromSystemProperties(),
            BenchmarkSuite.onlyFromSystemProperties(),
            Path.of("target"));

    assertThat(results.figures()).as("figures produced").isNotEmpty();
  }
}
