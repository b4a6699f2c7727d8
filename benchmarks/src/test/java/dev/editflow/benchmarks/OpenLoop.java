package dev.editflow.benchmarks;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: request {@code i} is due at {@code start + i / rate} whether or not
 * earlier ones were answered, each on its own virtual thread, and its latency counts from when it
 * was due (so a stalled server cannot hide its stall by slowing the generator down).
 */
final class OpenLoop {

  /** One call; true when the answer was the expected one. */
  @FunctionalInterface
  interface Call {
    boolean run(int index) throws Exception;
  }

  record Outcome(
      double offeredRate,
      int sent,
      int ok,
      int failed,
      Latencies latencies,
      Duration elapsed,
      Queue<String> errors) {

    /** Successful calls per second over the whole step, until the last answer. */
    double achievedRate() {
      return ok / Math.max(elapsed.toNanos() / 1e9, 1e-9);
    }
  }

  private OpenLoop() {}

  static Outcome run(double rate, Duration duration, Call call) {
    int total = Math.max(1, (int) Math.round(rate * duration.toNanos() / 1e9));
    long interval = (long) (1e9 / rate);
    long[] latencies = new long[total];
    AtomicInteger ok = new AtomicInteger();
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger errorCount = new AtomicInteger();
    long start = System.nanoTime();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        int index = i;
        threads.execute(
            () -> {
              boolean good;
              try {
                good = call.run(index);
              } catch (Exception e) {
                good = false;
                if (errorCount.incrementAndGet() <= 5) {
                  errors.add(e.toString());
                }
              }
              latencies[index] = System.nanoTime() - due;
              if (good) {
                ok.incrementAndGet();
              }
            });
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return new Outcome(
        rate, total, ok.get(), total - ok.get(), Latencies.ofNanos(latencies), elapsed, errors);
  }
}
