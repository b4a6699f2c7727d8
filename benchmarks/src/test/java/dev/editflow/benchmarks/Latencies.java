package dev.editflow.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** A set of latencies in milliseconds and its percentiles (nearest rank). */
record Latencies(double[] sortedMillis) {

  static Latencies of(Collection<Double> millis) {
    return new Latencies(millis.stream().mapToDouble(Double::doubleValue).sorted().toArray());
  }

  static Latencies ofNanos(long[] nanos) {
    return new Latencies(Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray());
  }

  int count() {
    return sortedMillis.length;
  }

  double percentile(double p) {
    if (sortedMillis.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedMillis.length);
    return sortedMillis[Math.clamp(rank - 1, 0, sortedMillis.length - 1)];
  }

  double p50() {
    return percentile(50);
  }

  double p95() {
    return percentile(95);
  }

  double p99() {
    return percentile(99);
  }

  double max() {
    return sortedMillis.length == 0 ? Double.NaN : sortedMillis[sortedMillis.length - 1];
  }

  Latencies minus(double millis) {
    return new Latencies(Arrays.stream(sortedMillis).map(m -> m - millis).toArray());
  }
}
