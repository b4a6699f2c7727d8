package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.systemtests.Trend.Point;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's growth detector: a trend fails it, a spike or a replaced process does not. */
class TrendTests {

  private static final double RUN = 600;

  @Test
  void aSteadyClimbOverTheSecondHalfIsGrowth() {
    List<Point> threads = series(1, t -> 80 + t * 0.05); // +15 over the last 300 s, at ~100

    Trend.Verdict verdict = Trend.judge(threads, SoakMetric.LIVE_THREADS, RUN);

    assertThat(verdict.growth()).isCloseTo(15, org.assertj.core.data.Offset.offset(0.5));
    assertThat(verdict.growing()).isTrue();
  }

  @Test
  void aSpikeOrAFlatLevelIsNotGrowth() {
    List<Point> spiky = series(1, t -> t > 500 && t < 530 ? 300 : 80);

    Trend.Verdict verdict = Trend.judge(spiky, SoakMetric.HEAP_AFTER_GC, RUN);

    assertThat(verdict.growth()).isZero();
    assertThat(verdict.growing()).isFalse();
  }

  @Test
  void aProcessReplacedLateIsReportedNotJudged() {
    List<Point> points = new ArrayList<>(series(1, t -> 80.0));
    points.removeIf(p -> p.seconds() > 560);
    points.add(new Point(570, 2, 40));
    points.add(new Point(580, 2, 60));
    points.add(new Point(590, 2, 70));

    Trend.Verdict verdict = Trend.judge(points, SoakMetric.HEAP_AFTER_GC, RUN);

    assertThat(verdict.growing()).isFalse();
    assertThat(verdict.note()).contains("replaced at 9:30").contains("too few samples");
  }

  @Test
  void jobRowsAreShownNotJudged() {
    Trend.Verdict verdict = Trend.judge(series(0, t -> t * 2), SoakMetric.JOB_ROWS, RUN);

    assertThat(verdict.growing()).isFalse();
    assertThat(verdict.growth()).isNaN();
  }

  private static List<Point> series(long pid, java.util.function.DoubleUnaryOperator value) {
    List<Point> points = new ArrayList<>();
    for (double t = 0; t <= RUN; t += 10) {
      points.add(new Point(t, pid, value.applyAsDouble(t)));
    }
    return points;
  }
}
