package dev.editflow.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Restarts the local RabbitMQ and PostgreSQL, for fault injection. Only possible where the tests
 * run against local services (no Docker), as root or the services' owner. {@code bin/soak} and
 * {@code bin/chaos-run} start a private node and cluster for themselves ({@code RABBITMQ_NODENAME},
 * {@code EDITFLOW_TEST_PG_DATA}), so their restarts disturb nobody else; without those this
 * restarts the machine's own.
 */
final class LocalServices {

  private LocalServices() {}

  /** Stops and starts the RabbitMQ application on the local node; clients must reconnect. */
  static void restartRabbitMq() {
    run(List.of("rabbitmqctl", "-q", "stop_app"));
    run(List.of("rabbitmqctl", "-q", "start_app"));
  }

  /** Restarts the local PostgreSQL cluster (fast shutdown: open connections are cut). */
  static void restartPostgres() {
    String privateCluster = System.getenv("EDITFLOW_TEST_PG_DATA");
    if (privateCluster != null) {
      run(
          List.of(
              "runuser",
              "-u",
              "postgres",
              "--",
              "pg_ctl",
              "-D",
              privateCluster,
              "-l",
              privateCluster + ".log",
              "-m",
              "fast",
              "-w",
              "restart"));
      return;
    }
    String version = postgresVersion();
    run(
        List.of(
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            version,
            "main",
            "restart",
            "-m",
            "fast"));
  }

  /** Whether the RabbitMQ node and PostgreSQL cluster the tests use are private to this run. */
  static boolean privateToThisRun() {
    return System.getenv("EDITFLOW_TEST_PG_DATA") != null
        && System.getenv("EDITFLOW_TEST_RABBIT_PORT") != null;
  }

  static boolean available() {
    if (privateToThisRun()) {
      return onPath("rabbitmqctl") && onPath("pg_ctl");
    }
    return Files.isDirectory(Path.of("/etc/postgresql"))
        && onPath("rabbitmqctl")
        && onPath("pg_ctlcluster");
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static String postgresVersion() {
    try (var versions = Files.list(Path.of("/etc/postgresql"))) {
      return versions.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
