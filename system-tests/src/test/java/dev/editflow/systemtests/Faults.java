package dev.editflow.systemtests;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults the chaos run and the soak inject into an {@link EditflowStack}, and the log of those
 * injected. A fault that ends a process also starts its replacement before it returns.
 */
final class Faults {

  private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

  /** One fault: running it logs and records it under {@code name}. */
  record Fault(String name, Runnable action) {}

  private final EditflowStack stack;
  private final Random random;
  private final List<String> injected = Collections.synchronizedList(new ArrayList<>());
  private volatile Duration slowestGracefulStop = Duration.ZERO;

  Faults(EditflowStack stack, Random random) {
    this.stack = stack;
    this.random = random;
  }

  /** The chaos run's kinds: one of each, round-robin, then at random. */
  List<Fault> chaosKinds(boolean restartInfrastructure) {
    List<Fault> kinds = new ArrayList<>(processKinds());
    kinds.add(dropBrokerConnections());
    kinds.add(pauseS3(Duration.ofSeconds(5)));
    kinds.add(falFailingFor(Duration.ofSeconds(5)));
    if (restartInfrastructure && LocalServices.available()) {
      kinds.add(restartRabbitMq());
      kinds.add(restartPostgres());
    }
    return kinds;
  }

  /**
   * The soak's kinds: the chaos run's, plus cut database sessions. Those that touch only this run's
   * own vhost, database, S3 and processes come first, so a short soak sees them; restarts of
   * RabbitMQ and PostgreSQL only where they are private to this run.
   */
  List<Fault> soakKinds() {
    List<Fault> kinds = new ArrayList<>();
    kinds.add(dropBrokerConnections());
    kinds.add(terminateDatabaseSessions());
    kinds.add(pauseS3(Duration.ofSeconds(5)));
    kinds.add(falFailingFor(Duration.ofSeconds(5)));
    kinds.addAll(processKinds());
    if (LocalServices.privateToThisRun()) {
      kinds.add(restartRabbitMq());
      kinds.add(restartPostgres());
    }
    return kinds;
  }

  /**
   * The intense chaos run's faults, in order: three SIGKILLs of each service, S3 away for 30 s, and
   * RabbitMQ and PostgreSQL restarted (twice each) while a killed service is still coming back. Fal
   * fails throughout: see {@link #falFailingThroughout}.
   */
  List<Fault> intenseSequence() {
    if (!LocalServices.available()) {
      throw new IllegalStateException(
          "the intense chaos run restarts RabbitMQ and PostgreSQL: it needs local services"
              + " (bin/chaos-run starts private ones)");
    }
    return List.of(
        kill9Worker(),
        kill9Archiver(),
        kill9Gateway(),
        pauseS3(Duration.ofSeconds(30)),
        whileRecovering(kill9Worker(), restartRabbitMq()),
        whileRecovering(kill9Archiver(), restartPostgres()),
        whileRecovering(kill9Gateway(), restartRabbitMq()),
        kill9Worker(),
        kill9Archiver(),
        whileRecovering(kill9Gateway(), restartPostgres()));
  }

  private List<Fault> processKinds() {
    return List.of(kill9Worker(), kill9Archiver(), sigtermWorker(), sigtermArchiver());
  }

  Fault kill9Worker() {
    return replace("kill -9 worker", stack.workers, () -> stack.startWorker(b -> b), false);
  }

  Fault kill9Archiver() {
    return replace("kill -9 archiver", stack.archivers, stack::startArchiver, false);
  }

  Fault sigtermWorker() {
    return replace("SIGTERM worker", stack.workers, () -> stack.startWorker(b -> b), true);
  }

  Fault sigtermArchiver() {
    return replace("SIGTERM archiver", stack.archivers, stack::startArchiver, true);
  }

  /** The one gateway dies and comes back on its port; clients retry meanwhile. */
  Fault kill9Gateway() {
    return new Fault(
        "kill -9 gateway",
        () -> {
          stack.gateway.kill();
          startingAgain(() -> stack.gateway.start(EditflowStack.START_TIMEOUT));
        });
  }

  Fault dropBrokerConnections() {
    return new Fault("drop broker connections", () -> TestRabbit.get().closeAllConnections());
  }

  /** Ends every session of this run's database, as a failover or a network cut does. */
  Fault terminateDatabaseSessions() {
    return new Fault(
        "terminate database sessions",
        () -> {
          try (Connection db = database()) {
            db.createStatement()
                .execute(
                    "select pg_terminate_backend(pid) from pg_stat_activity"
                        + " where datname = current_database() and pid <> pg_backend_pid()");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  Fault pauseS3(Duration outage) {
    return new Fault(
        "S3 away for " + outage.toSeconds() + " s",
        () -> {
          TestS3.get().stop();
          sleepQuietly(outage);
          TestS3.get().restart();
        });
  }

  Fault falFailingFor(Duration outage) {
    return new Fault(
        "fal 429/503 for " + outage.toSeconds() + " s",
        () -> {
          stack.configureSimulator(falSubmitAndStatusFaults(0.3, 0.1, 0.2));
          sleepQuietly(outage);
          stack.configureSimulator(falSubmitAndStatusFaults(0, 0, 0));
        });
  }

  Fault restartRabbitMq() {
    return new Fault("restart RabbitMQ", LocalServices::restartRabbitMq);
  }

  Fault restartPostgres() {
    return new Fault("restart PostgreSQL", LocalServices::restartPostgres);
  }

  /**
   * {@code infrastructure} a few seconds into {@code kill}, while the killed service is still
   * starting again: outages come in twos.
   */
  Fault whileRecovering(Fault kill, Fault infrastructure) {
    return new Fault(
        "overlap: " + infrastructure.name() + " while " + kill.name() + " recovers",
        () -> {
          Thread recovering = Thread.ofPlatform().name("recovering").start(() -> run(kill));
          sleepQuietly(Duration.ofSeconds(3));
          run(infrastructure);
          try {
            recovering.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /**
   * Every fal call (submit, status, stream, result, cancel, media) answers 429 or 503, 20 % of them
   * together, until {@link #heal()}. The simulator rolls 429 first, then 503 on the rest.
   */
  void falFailingThroughout() {
    LOG.warn("CHAOS: fal answers 429/503 to 20 % of calls from now on");
    injected.add("fal 429/503 to 20 % of calls, whole run");
    Map<String, Object> fifth = Map.of("http429", 0.1, "http503", 0.1 / 0.9);
    stack.configureSimulator(
        Map.of(
            "faults",
            Map.of(
                "submit", fifth,
                "status", fifth,
                "stream", fifth,
                "result", fifth,
                "cancel", fifth,
                "media", fifth)));
  }

  /**
   * Runs {@code fault}, logging instead of throwing when the injection itself fails. An overlap
   * (see {@link #whileRecovering}) is recorded under its own name and each of its two parts.
   */
  void run(Fault fault) {
    LOG.warn("CHAOS: {}", fault.name());
    injected.add(fault.name());
    try {
      fault.action().run();
    } catch (RuntimeException e) {
      LOG.error("Fault injection {} failed: {}", fault.name(), e.toString());
    }
  }

  /** After the storm: every process up again and fal healthy. */
  void heal() {
    Map<String, Object> none = Map.of("http429", 0, "http503", 0);
    stack.configureSimulator(
        Map.of(
            "faults",
            Map.of(
                "submit", none,
                "status", none,
                "stream", none,
                "result", none,
                "cancel", none,
                "media", none)));
    if (!stack.gateway.isAlive()) {
      stack.gateway.start(EditflowStack.START_TIMEOUT);
    }
    for (int i = 0; i < stack.workers.size(); i++) {
      if (!stack.workers.get(i).isAlive()) {
        stack.workers.set(i, stack.startWorker(b -> b));
      }
    }
    for (int i = 0; i < stack.archivers.size(); i++) {
      if (!stack.archivers.get(i).isAlive()) {
        stack.archivers.set(i, stack.startArchiver());
      }
    }
  }

  List<String> injected() {
    return List.copyOf(injected);
  }

  Duration slowestGracefulStop() {
    return slowestGracefulStop;
  }

  /**
   * Ends one of {@code processes} and starts a replacement: SIGKILL as in a crash, or SIGTERM as in
   * a rolling deploy (which must finish or hand back in-flight work in time).
   */
  private Fault replace(
      String name,
      List<ServiceProcess> processes,
      Supplier<ServiceProcess> starter,
      boolean graceful) {
    return new Fault(
        name,
        () -> {
          int index = random.nextInt(processes.size());
          if (graceful) {
            Duration took = processes.get(index).stop();
            slowestGracefulStop =
                took.compareTo(slowestGracefulStop) > 0 ? took : slowestGracefulStop;
          } else {
            processes.get(index).kill();
          }
          processes.set(index, startingAgain(starter));
        });
  }

  /**
   * Starts a process, and once more if it died during its start: an overlapping fault (the database
   * restarting while it migrates) may end it, and an orchestrator would restart it too.
   */
  private static ServiceProcess startingAgain(Supplier<ServiceProcess> starter) {
    try {
      return starter.get();
    } catch (IllegalStateException e) {
      if (e.getMessage() == null || !e.getMessage().contains("exited during start")) {
        throw e;
      }
      LOG.warn("A replacement died during its start, starting it again: {}", e.getMessage());
      return starter.get();
    }
  }

  private static Map<String, Object> falSubmitAndStatusFaults(
      double submit429, double submit503, double status503) {
    return Map.of(
        "faults",
        Map.of(
            "submit", Map.of("http429", submit429, "http503", submit503),
            "status", Map.of("http503", status503)));
  }

  static Connection database() throws SQLException {
    TestPostgres postgres = TestPostgres.get();
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
