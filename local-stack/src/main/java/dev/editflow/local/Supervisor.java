package dev.editflow.local;

import dev.editflow.stack.ServiceNotStarted;
import dev.editflow.stack.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the services, and once the stack is up starts again any that exits (out of memory, a
 * crash, a kill), after a pause that grows while it keeps failing quickly. Every process is
 * recorded in the run directory and handed to the watchdog, so nothing outlives the launcher.
 */
final class Supervisor {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /** A service that ran at least this long before exiting is restarted without delay. */
  private static final Duration STABLE = Duration.ofMinutes(1);

  private final RunDirectory run;
  private final Watchdog watchdog;
  private final List<ServiceProcess> services = new ArrayList<>();
  private final Map<String, Integer> quickFailures = new ConcurrentHashMap<>();
  private volatile boolean supervising;
  private volatile boolean stopping;

  Supervisor(RunDirectory run, Watchdog watchdog) {
    this.run = run;
    this.watchdog = watchdog;
  }

  /** Starts a service's process without waiting for it. */
  void start(ServiceProcess service) {
    LOG.info("Starting {} on port {}...", service.name(), service.port());
    services.add(service);
    launch(service);
  }

  /** Waits until every started service is healthy, in start order. */
  void awaitHealthy(long startedNanos) {
    for (ServiceProcess service : services) {
      service.awaitHealthy(START_TIMEOUT);
      LOG.info(
          "{} is up (pid {}, {} s).",
          service.name(),
          service.pid(),
          String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9));
    }
  }

  /** From now on a service that exits is started again. */
  void superviseFromNow() {
    supervising = true;
    watchdog
        .handle()
        .onExit()
        .thenRun(
            () -> {
              if (!stopping) {
                LOG.warn(
                    "The watchdog process is gone: if this launcher is killed now, its services"
                        + " keep running until the next start stops them.");
              }
            });
  }

  /** SIGTERM to every service at once, then waits for each (SIGKILL after a grace period). */
  void stopAll() {
    stopping = true;
    services.reversed().forEach(ServiceProcess::requestStop);
    services.reversed().forEach(s -> s.awaitStopped(STOP_GRACE));
  }

  private void launch(ServiceProcess service) {
    Process process = service.launch();
    Instant started = Instant.now();
    run.record(process.toHandle(), service.name());
    watchdog.watch(process.toHandle());
    process.onExit().thenAccept(ended -> exited(service, ended, started));
  }

  private void exited(ServiceProcess service, Process ended, Instant started) {
    if (stopping || !supervising) {
      // Stopping on purpose, or a failed start, which the launcher reports itself.
      return;
    }
    watchdog.forget(ended.toHandle());
    boolean quick = Duration.between(started, Instant.now()).compareTo(STABLE) < 0;
    int failures = quick ? quickFailures.merge(service.name(), 1, Integer::sum) : 0;
    if (!quick) {
      quickFailures.remove(service.name());
    }
    Duration delay =
        failures == 0 ? Duration.ZERO : Duration.ofSeconds(Math.min(30, 1L << (failures - 1)));
    LOG.warn(
        "{} {}; restarting it{} (log: {}).",
        service.name(),
        ServiceProcess.exitReason(ended.exitValue()),
        delay.isZero() ? "" : " in " + delay.toSeconds() + " s",
        service.log());
    Thread.ofVirtual().start(() -> restart(service, delay));
  }

  private void restart(ServiceProcess service, Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (stopping) {
      return;
    }
    try {
      launch(service);
    } catch (ServiceNotStarted e) {
      LOG.error("{} could not be started again: {}", service.name(), e.getMessage());
      return;
    }
    try {
      service.awaitHealthy(START_TIMEOUT);
      LOG.info("{} is up again (pid {}).", service.name(), service.pid());
    } catch (ServiceNotStarted e) {
      // It exited again while starting: its exit handler restarts it after a longer pause.
      LOG.debug("Restart of {} failed: {}", service.name(), e.getMessage());
    }
  }
}
