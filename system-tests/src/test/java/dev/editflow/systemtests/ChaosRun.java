package dev.editflow.systemtests;

import dev.editflow.systemtests.Faults.Fault;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Submits jobs through the API while a fault loop SIGKILLs and restarts workers and archivers,
 * drops broker connections, restarts RabbitMQ and PostgreSQL, takes S3 away and makes fal fail;
 * then waits for every job to end and counts what was lost, stuck or done twice. The intense run
 * injects {@link Faults#intenseSequence()} instead, with fal failing throughout.
 */
final class ChaosRun {

  private static final String OWNERS = "chaos-";

  private final ChaosSettings settings;
  private final EditflowStack stack;
  private final Random random = new Random(42);
  private final Faults faults;
  private final JobClients clients;
  private final JobsAudit audit;
  private volatile long mostJobsAtFal;

  ChaosRun(ChaosSettings settings, EditflowStack stack) {
    this.settings = settings;
    this.stack = stack;
    this.faults = new Faults(stack, random);
    this.clients = new JobClients(stack, OWNERS);
    this.audit = new JobsAudit(stack, OWNERS);
  }

  ChaosSummary run() throws Exception {
    while (stack.workers.size() < settings.workers()) {
      stack.workers.add(stack.startWorker(b -> b));
    }
    while (stack.archivers.size() < settings.archivers()) {
      stack.archivers.add(stack.startArchiver());
    }
    stack.configureSimulator(
        Map.of(
            "timing",
            Map.of(
                "queue-wait-min", "200ms",
                "queue-wait-max", "1500ms",
                "processing-min", "300ms",
                "processing-max", "2000ms")));
    List<Fault> kinds =
        settings.intense()
            ? faults.intenseSequence()
            : faults.chaosKinds(settings.restartInfrastructure());
    if (settings.intense()) {
      faults.falFailingThroughout();
    }

    // Jobs are spread over the whole fault window, so every fault hits work in flight.
    Duration window = settings.faultEvery().multipliedBy(kinds.size() + 1L);
    Instant faultsEnd = Instant.now().plus(window);
    AtomicBoolean submitting = new AtomicBoolean(true);
    Thread chaos =
        Thread.ofPlatform().name("chaos").start(() -> injectFaultsWhile(submitting, kinds));
    AtomicBoolean running = new AtomicBoolean(true);
    Thread slotWatch = Thread.ofPlatform().name("fal-slots").start(() -> watchJobsAtFal(running));
    int accepted;
    try {
      accepted = submitAll(window);
    } finally {
      Duration left = Duration.between(Instant.now(), faultsEnd);
      if (!left.isNegative()) {
        Thread.sleep(left);
      }
      submitting.set(false);
      chaos.join();
    }
    faults.heal();
    Instant settledBy = Instant.now().plus(settings.settleTimeout());
    while (Instant.now().isBefore(settledBy) && audit.unfinished() > 0) {
      Thread.sleep(1000);
    }
    running.set(false);
    slotWatch.join();
    return audit.summarise(
        settings.intense() ? "intense chaos run" : "chaos run",
        accepted,
        clients.promptsByJob(),
        faults,
        mostJobsAtFal);
  }

  private int submitAll(Duration window) throws Exception {
    int users = 8;
    long pauseMs = window.toMillis() * users / Math.max(1, settings.jobs());
    try (ExecutorService pool = Executors.newFixedThreadPool(users)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        int user = u;
        results.add(
            pool.submit(
                () -> {
                  // Eight users share the fal account; two of them are pro users.
                  JobClients.Client client = clients.client(user, user < 2 ? "pro" : "free");
                  int ok = 0;
                  for (int i = user; i < settings.jobs(); i += users) {
                    if (client.create(i)) {
                      ok++;
                    }
                    Faults.sleepQuietly(Duration.ofMillis(pauseMs));
                  }
                  return ok;
                }));
      }
      int accepted = 0;
      for (Future<Integer> result : results) {
        accepted += result.get();
      }
      return accepted;
    }
  }

  /**
   * Every kind of fault happens at least once, however quickly the jobs go through: round-robin
   * first, then at random while jobs are still being submitted. The intense sequence runs once.
   */
  private void injectFaultsWhile(AtomicBoolean keepGoing, List<Fault> kinds) {
    int next = 0;
    while ((keepGoing.get() && !settings.intense()) || next < kinds.size()) {
      Faults.sleepQuietly(settings.faultEvery());
      Fault kind =
          next < kinds.size() ? kinds.get(next++) : kinds.get(random.nextInt(kinds.size()));
      faults.run(kind);
    }
  }

  /** The fal account's limit must hold across both workers, whatever fails. */
  private void watchJobsAtFal(AtomicBoolean running) {
    while (running.get()) {
      try {
        mostJobsAtFal = Math.max(mostJobsAtFal, JobsAudit.jobsAtFal());
      } catch (SQLException e) {
        // database restarting
      }
      Faults.sleepQuietly(Duration.ofMillis(50));
    }
  }
}
