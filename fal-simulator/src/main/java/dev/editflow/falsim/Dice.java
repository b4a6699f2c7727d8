package dev.editflow.falsim;

import java.time.Duration;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Every random choice of the simulator, from one generator so that a configured seed makes a run
 * reproducible (as far as thread interleaving allows).
 */
@Component
public class Dice {

  private volatile Random random;

  Dice(LiveSettings settings) {
    this.random = create(settings.get().seed());
  }

  /** Starts a new sequence from {@code seed} (random when null). */
  public void reseed(@Nullable Long seed) {
    random = create(seed);
  }

  /** True with probability {@code p}. */
  public boolean chance(double p) {
    return p > 0 && (p >= 1 || random.nextDouble() < p);
  }

  /** A duration uniformly between {@code min} and {@code max}. */
  public Duration between(Duration min, Duration max) {
    long lo = min.toMillis();
    long hi = Math.max(lo, max.toMillis());
    return Duration.ofMillis(lo == hi ? lo : lo + (long) (random.nextDouble() * (hi - lo + 1)));
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public long nextLong() {
    return random.nextLong();
  }

  private static Random create(@Nullable Long seed) {
    return seed == null ? new Random() : new Random(seed);
  }
}
