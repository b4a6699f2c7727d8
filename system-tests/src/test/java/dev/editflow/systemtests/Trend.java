package dev.editflow.systemtests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a sampled series keeps growing: the Theil–Sen slope (the median of the slopes between
 * every two samples) over the second half of the run, times that half's length. A spike or a
 * restart moves a few of the pairwise slopes, never their median; a leak moves them all.
 */
final class Trend {

  /** One sample: seconds since the start, the process it came from (0: not a process), value. */
  record Point(double seconds, long pid, double value) {}

  /** The judgement of one series. {@code growth} is NaN when there was too little to judge. */
  record Verdict(int samples, double growth, double limit, boolean growing, String note) {}

  /**
   * Samples a judgement needs at least, over at least half of the second half; fewer (a process
   * replaced or killed late) is reported, not judged.
   */
  static final int MIN_SAMPLES = 5;

  /** A replacement process warms up (classes, caches, pools) before its level means anything. */
  static final double WARM_UP_SECONDS = 60;

  private Trend() {}

  static Verdict judge(List<Point> points, SoakMetric metric, double runSeconds) {
    if (!metric.judged()) {
      return new Verdict(0, Double.NaN, Double.NaN, false, "grows with the load; shown only");
    }
    double half = runSeconds / 2;
    List<Point> judged = new ArrayList<>();
    String note = "";
    if (metric.perProcess && !points.isEmpty()) {
      long pid = points.getLast().pid();
      double born =
          points.stream().filter(p -> p.pid() == pid).mapToDouble(Point::seconds).min().orElse(0);
      boolean replaced = born > points.getFirst().seconds();
      double from = replaced ? Math.max(half, born + WARM_UP_SECONDS) : half;
      points.stream().filter(p -> p.pid() == pid && p.seconds() >= from).forEach(judged::add);
      if (replaced && born + WARM_UP_SECONDS > half) {
        note = String.format("replaced at %d:%02d", (int) born / 60, (int) born % 60);
      }
    } else {
      points.stream().filter(p -> p.seconds() >= half).forEach(judged::add);
    }
    double span = judged.isEmpty() ? 0 : judged.getLast().seconds() - judged.getFirst().seconds();
    if (judged.size() < MIN_SAMPLES || span < half / 2) {
      return new Verdict(
          judged.size(), Double.NaN, Double.NaN, false, (note + " too few samples").strip());
    }
    // Over the span sampled, not extrapolated to the whole half: a process killed early in it
    // shows a few minutes of warm-up, which must not read as a quarter of an hour of growth.
    double growth = theilSenSlope(judged) * span;
    double limit = metric.limit(median(judged.stream().mapToDouble(Point::value).toArray()));
    return new Verdict(judged.size(), growth, limit, growth > limit, note);
  }

  static double theilSenSlope(List<Point> points) {
    int n = points.size();
    double[] slopes = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dt = points.get(j).seconds() - points.get(i).seconds();
        slopes[k++] = dt == 0 ? 0 : (points.get(j).value() - points.get(i).value()) / dt;
      }
    }
    return median(Arrays.copyOf(slopes, k));
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
