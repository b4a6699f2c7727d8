package dev.editflow.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes test setup at JVM exit in reverse order, like nested try-with-resources. Separate shutdown
 * hooks run concurrently, which deleted the database and vhost under services still shutting down
 * and made them hang in their graceful shutdown.
 */
public final class Teardown {

  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);
  private static final Deque<Runnable> STEPS = new ArrayDeque<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Teardown::runAll, "test-teardown"));
  }

  private Teardown() {}

  /** Runs {@code step} at exit, before every step registered earlier. */
  public static synchronized void atExit(Runnable step) {
    STEPS.push(step);
  }

  private static synchronized void runAll() {
    while (!STEPS.isEmpty()) {
      try {
        STEPS.pop().run();
      } catch (RuntimeException e) {
        LOG.warn("Test teardown step failed: {}", e.toString());
      }
    }
  }
}
