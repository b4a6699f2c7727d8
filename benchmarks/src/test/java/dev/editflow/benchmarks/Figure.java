package dev.editflow.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * One reported number, with the baseline measured beside it in the same run and the target it is
 * compared with. Benchmarks report; {@code met} is information, never a test failure.
 *
 * @param id the benchmark and figure, e.g. {@code B1.p99}
 * @param name what was measured, in words
 * @param value the measurement
 * @param unit its unit
 * @param baselineName what the baseline is, or null when the figure has none
 * @param baseline the baseline's measurement in this run
 * @param ratio value ÷ baseline (or its inverse where the issue defines it so), when meaningful
 * @param target the target in words, e.g. {@code ≤ 100 ms}
 * @param met whether the target was met, or null when there is none
 */
record Figure(
    String id,
    String name,
    double value,
    String unit,
    @Nullable String baselineName,
    @Nullable Double baseline,
    @Nullable Double ratio,
    @Nullable String target,
    @Nullable Boolean met) {

  static Figure plain(String id, String name, double value, String unit) {
    return new Figure(id, name, value, unit, null, null, null, null, null);
  }

  static Figure target(
      String id, String name, double value, String unit, String target, boolean met) {
    return new Figure(id, name, value, unit, null, null, null, target, met);
  }

  Figure withBaseline(String baselineName, double baseline, @Nullable Double ratio) {
    return new Figure(id, name, value, unit, baselineName, baseline, ratio, target, met);
  }
}
