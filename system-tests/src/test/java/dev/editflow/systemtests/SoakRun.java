package dev.editflow.systemtests;

import dev.editflow.systemtests.Faults.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady, moderate load for a long time, a fault every few minutes, and every service sampled
 * every few seconds; at the end the jobs are audited like the chaos run's and every sampled series
 * is judged for growth over the second half.
 */
final class SoakRun {

  private static final String OWNERS = "soak-";

  /** What the soak ended with. */
  record Result(int offered, ChaosSummary jobs, SoakReport resources) {}

  private final SoakSettings settings;
  private final EditflowStack stack;
  private final Random random = new Random(7);
  private final Faults faults;
  private final JobClients clients;
  private final JobsAudit audit;

  SoakRun(SoakSettings settings, EditflowStack stack) {
    this.settings = settings;
    this.stack = stack;
    this.faults = new Faults(stack, random);
    this.clients = new JobClients(stack, OWNERS);
    this.audit = new JobsAudit(stack, OWNERS);
  }

  Result run() throws Exception {
    while (stack.workers.size() < 2) {
      stack.workers.add(stack.startWorker(b -> b));
    }
    while (stack.archivers.size() < 2) {
      stack.archivers.add(stack.startArchiver());
    }
    faults.heal();
    stack.configureSimulator(
        Map.of(
            "timing",
            Map.of(
                "queue-wait-min", "200ms",
                "queue-wait-max", "1500ms",
                "processing-min", "300ms",
                "processing-max", "2000ms")));
    long end = System.nanoTime() + settings.duration().toNanos();
    AtomicInteger offered = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    long mostJobsAtFal = 0;
    try (ResourceSampler sampler = new ResourceSampler(stack, audit);
        ExecutorService load = Executors.newFixedThreadPool(users())) {
      Thread chaos = Thread.ofPlatform().name("soak-faults").start(() -> injectFaultsUntil(end));
      List<Future<?>> users = new ArrayList<>();
      for (int u = 0; u < users(); u++) {
        int user = u;
        users.add(load.submit(() -> submitUntil(end, user, offered, accepted)));
      }
      // At a fixed rate: a slow sample (a loaded machine, a forced GC) must not thin the series.
      for (long next = System.nanoTime(); next < end; next += settings.sampleEvery().toNanos()) {
        Faults.sleepQuietly(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
        sampler.sample();
        mostJobsAtFal = Math.max(mostJobsAtFal, JobsAudit.jobsAtFalOrZero());
      }
      sampler.sample();
      double runSeconds = sampler.secondsSinceStart();
      for (Future<?> user : users) {
        user.get();
      }
      chaos.join();
      faults.heal();
      long settledBy = System.nanoTime() + settings.settleTimeout().toNanos();
      while (System.nanoTime() < settledBy && audit.unfinished() > 0) {
        Thread.sleep(1000);
      }
      sampler.writeCsv(java.nio.file.Path.of("target", "soak-samples.csv"));
      SoakReport resources =
          SoakReport.of(
              String.format(
                  "%d min at %.1f jobs/s, a fault every %d s, samples every %d s",
                  settings.duration().toMinutes(),
                  settings.jobsPerSecond(),
                  settings.faultEvery().toSeconds(),
                  settings.sampleEvery().toSeconds()),
              sampler.series(),
              runSeconds);
      ChaosSummary jobs =
          audit.summarise(
              "soak jobs", accepted.get(), clients.promptsByJob(), faults, mostJobsAtFal);
      return new Result(offered.get(), jobs, resources);
    }
  }

  /** Enough users that one waiting out an outage does not hold up the rate. */
  private int users() {
    return Math.max(8, (int) Math.ceil(settings.jobsPerSecond() * 4));
  }

  private void submitUntil(long end, int user, AtomicInteger offered, AtomicInteger accepted) {
    JobClients.Client client = clients.client(user);
    long every = (long) (users() / settings.jobsPerSecond() * 1e9);
    long next = System.nanoTime() + every * user / users();
    for (int i = user; ; i += users()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Faults.sleepQuietly(Duration.ofNanos(wait));
      }
      if (System.nanoTime() >= end) {
        return;
      }
      offered.incrementAndGet();
      if (client.create(i)) {
        accepted.incrementAndGet();
      }
      // After an outage the user goes on at the steady rate instead of catching up in a burst.
      next = Math.max(next + every, System.nanoTime());
    }
  }

  /** The soak's kinds round-robin, then at random, until the load ends. */
  private void injectFaultsUntil(long end) {
    List<Fault> kinds = faults.soakKinds();
    int next = 0;
    while (true) {
      Faults.sleepQuietly(min(settings.faultEvery(), Duration.ofNanos(end - System.nanoTime())));
      if (System.nanoTime() >= end) {
        return;
      }
      faults.run(next < kinds.size() ? kinds.get(next++) : kinds.get(random.nextInt(kinds.size())));
    }
  }

  private static Duration min(Duration a, Duration b) {
    Duration positive = b.isNegative() ? Duration.ZERO : b;
    return a.compareTo(positive) < 0 ? a : positive;
  }
}
