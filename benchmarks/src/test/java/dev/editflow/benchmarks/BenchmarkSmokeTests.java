package dev.editflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark at toy sizes, only to prove the harness still produces its figures: no timing is
 * asserted (this machine's numbers say nothing about a CI runner's).
 */
class BenchmarkSmokeTests {

  @Test
  void producesEveryFigureWithItsBaseline() {
    Path directory = Path.of("target", "benchmark-smoke");

    Results results = BenchmarkSuite.run(BenchmarkProfile.smoke(), Set.of(), directory);

    assertThat(results.failures()).as("benchmarks that did not finish").isEmpty();
    Set<String> ids = results.figures().stream().map(Figure::id).collect(Collectors.toSet());
    assertThat(ids)
        .contains(
            "B1.p50",
            "B1.p99",
            "B2.throughput",
            "B2.broker-efficiency",
            "B2.scaling.w1",
            "B3.held",
            "B3.heap",
            "B3.status-calls",
            "B4.large",
            "B4.small",
            "B4.heap",
            "B5.create");
    assertThat(results.figures())
        .filteredOn(f -> f.baselineName() != null)
        .allSatisfy(f -> assertThat(f.baseline()).as(f.id() + " baseline").isNotNull());
    assertThat(directory.resolve("benchmark-results.json"))
        .satisfies(p -> assertThat(Files.size(p)).isPositive());
  }
}
