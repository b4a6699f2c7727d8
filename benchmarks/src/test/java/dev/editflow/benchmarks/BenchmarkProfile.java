package dev.editflow.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The sizes of one benchmark run, chosen with {@code -Dbenchmark.profile=smoke|default|long}.
 *
 * @param name the profile's name, as given
 * @param pipelineRate B1: jobs per second offered through the API
 * @param pipelineDuration B1: how long that rate is held
 * @param throughputSteps B2: offered rates tried in order until one leaves a backlog
 * @param throughputStep B2: how long each rate is held
 * @param scalingWorkers B2 repeated with these numbers of worker replicas
 * @param inFlightJobs B3: jobs held at fal at once by one worker
 * @param inFlightHold B3: how long the simulator keeps each job in progress
 * @param archiveLargeBytes B4: the size of the single large output
 * @param archiveSmallCount B4: how many small outputs
 * @param archiveSmallBytes B4: the size of each small output
 * @param gatewaySteps B5: request rates tried in order until p99 exceeds the limit
 * @param gatewayStep B5: how long each rate is held
 * @param brokerBaseline B2's baseline: how long RabbitMQ PerfTest runs
 */
record BenchmarkProfile(
    String name,
    int pipelineRate,
    Duration pipelineDuration,
    List<Integer> throughputSteps,
    Duration throughputStep,
    List<Integer> scalingWorkers,
    int inFlightJobs,
    Duration inFlightHold,
    int archiveLargeBytes,
    int archiveSmallCount,
    int archiveSmallBytes,
    List<Integer> gatewaySteps,
    Duration gatewayStep,
    Duration brokerBaseline) {

  static final int MB = 1024 * 1024;

  /** The profile named by the system property {@code benchmark.profile} (default: default). */
  static BenchmarkProfile fromSystemProperties() {
    return named(System.getProperty("benchmark.profile", "default"));
  }

  static BenchmarkProfile named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "smoke" -> smoke();
      case "default", "" -> standard("default", 1);
      case "long" -> standard("long", 3);
      default ->
          throw new IllegalArgumentException(
              "Unknown benchmark.profile " + name + " (smoke, default, long)");
    };
  }

  /** Seconds, not minutes: proves every benchmark still produces its figures. */
  static BenchmarkProfile smoke() {
    return new BenchmarkProfile(
        "smoke",
        10,
        Duration.ofSeconds(3),
        List.of(10, 20),
        Duration.ofSeconds(2),
        List.of(1),
        40,
        Duration.ofSeconds(4),
        6 * MB,
        4,
        MB,
        List.of(50, 100),
        Duration.ofSeconds(2),
        Duration.ofSeconds(3));
  }

  /**
   * The documented run (about 10 minutes); {@code long} holds every load {@code factor}× longer.
   */
  static BenchmarkProfile standard(String name, int factor) {
    return new BenchmarkProfile(
        name,
        50,
        Duration.ofSeconds(60L * factor),
        List.of(25, 50, 100, 150, 200, 300, 400, 600),
        Duration.ofSeconds(10L * factor),
        List.of(1, 2, 4),
        10_000,
        Duration.ofSeconds(60),
        25 * MB,
        100,
        MB,
        List.of(100, 200, 300, 400, 600, 800, 1000, 1500, 2000, 3000, 4000, 6000),
        Duration.ofSeconds(5L * factor),
        Duration.ofSeconds(10L * factor));
  }
}
