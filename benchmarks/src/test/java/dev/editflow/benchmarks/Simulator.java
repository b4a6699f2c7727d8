package dev.editflow.benchmarks;

import java.net.URI;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The fal-simulator's admin API ({@code /_sim/*}). */
final class Simulator {

  private final URI base;

  Simulator(URI base) {
    this.base = base;
  }

  /**
   * Fixed latencies: every job waits {@code queueMillis} IN_QUEUE and {@code processingMillis}
   * IN_PROGRESS.
   */
  void fixedLatency(long queueMillis, long processingMillis) {
    settings(
        Map.of(
            "timing",
            Map.of(
                "queue-wait-min", queueMillis + "ms",
                "queue-wait-max", queueMillis + "ms",
                "processing-min", processingMillis + "ms",
                "processing-max", processingMillis + "ms")));
  }

  void settings(Map<String, Object> partial) {
    Http.expect(Http.send("PUT", base.resolve("/_sim/settings"), partial), 200, 204);
  }

  /** Calls answered so far on one endpoint ({@code submit}, {@code status}, {@code result} ...). */
  long calls(String endpoint) {
    JsonNode counters = Http.expect(Http.get(base.resolve("/_sim/counters")), 200).json();
    long total = 0;
    for (JsonNode count : counters.path(endpoint)) {
      total += count.asLong();
    }
    return total;
  }

  /** Jobs the simulator holds IN_PROGRESS right now. */
  long inProgress() {
    return Http.expect(Http.get(base.resolve("/_sim/stats")), 200)
        .json()
        .path("in_progress")
        .asLong();
  }
}
