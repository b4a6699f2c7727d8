package dev.editflow.systemtests;

import dev.editflow.systemtests.ResourceSampler.Key;
import dev.editflow.systemtests.Trend.Point;
import dev.editflow.systemtests.Trend.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The soak's table: per service and metric the first, min, max and last sample, how many samples of
 * the second half were judged, their growth, the limit and the verdict.
 */
record SoakReport(String title, List<Row> rows) {

  record Row(Key key, double first, double min, double max, double last, Verdict verdict) {}

  static SoakReport of(String title, Map<Key, List<Point>> series, double runSeconds) {
    List<Row> rows = new ArrayList<>();
    series.forEach(
        (key, points) -> {
          if (points.isEmpty()) {
            return;
          }
          double[] values = points.stream().mapToDouble(Point::value).toArray();
          rows.add(
              new Row(
                  key,
                  values[0],
                  java.util.Arrays.stream(values).min().orElseThrow(),
                  java.util.Arrays.stream(values).max().orElseThrow(),
                  values[values.length - 1],
                  Trend.judge(points, key.metric(), runSeconds)));
        });
    return new SoakReport(title, rows);
  }

  List<Row> growing() {
    return rows.stream().filter(row -> row.verdict().growing()).toList();
  }

  /** Series that were judged (not shown only, not too short). */
  List<Row> judged() {
    return rows.stream().filter(row -> !Double.isNaN(row.verdict().growth())).toList();
  }

  String table() {
    StringBuilder out = new StringBuilder();
    String heading = "===== editflow soak: " + title + " =====";
    out.append('\n').append(heading).append('\n');
    out.append(
        String.format(
            "%-11s %-26s %9s %9s %9s %9s %4s %12s %9s  %s%n",
            "service",
            "metric",
            "first",
            "min",
            "max",
            "last",
            "n",
            "2nd-half Δ",
            "limit",
            "verdict"));
    for (Row row : rows) {
      Verdict verdict = row.verdict();
      String outcome =
          Double.isNaN(verdict.growth()) ? "-" : verdict.growing() ? "GROWING" : "flat";
      out.append(
          String.format(
              "%-11s %-26s %9s %9s %9s %9s %4d %12s %9s  %s%n",
              row.key().service(),
              row.key().metric().label,
              number(row.first()),
              number(row.min()),
              number(row.max()),
              number(row.last()),
              verdict.samples(),
              signed(verdict.growth()),
              number(verdict.limit()),
              (outcome + " " + verdict.note()).strip()));
    }
    out.append(
        growing().isEmpty()
            ? "PASS: nothing keeps growing\n"
            : "FAIL: growing: "
                + growing().stream()
                    .map(r -> r.key().service() + " " + r.key().metric().label)
                    .toList()
                + "\n");
    out.append("=".repeat(heading.length())).append('\n');
    return out.toString();
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e9
        ? String.valueOf((long) value)
        : String.format("%.1f", value);
  }

  private static String signed(double value) {
    return Double.isNaN(value) ? "-" : (value >= 0 ? "+" : "") + String.format("%.1f", value);
  }
}
