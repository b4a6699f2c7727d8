package dev.editflow.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service jar running as its own JVM, with its log in the data directory. It can be started
 * again after it exited (the supervisor does that), always with the same command line.
 */
final class ChildService {

  /** Exit code of a JVM that ran out of memory with {@code -XX:+ExitOnOutOfMemoryError}. */
  static final int OUT_OF_MEMORY = 3;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int port;
  final Path log;
  private final List<String> command;
  private volatile Process process;

  private ChildService(String name, int port, Path log, List<String> command) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.command = command;
  }

  static ChildService of(
      Path repository, Path logs, String module, int port, Map<String, String> properties) {
    Path jar = repository.resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.exists(jar)) {
      throw new StartRefused(jar + " is missing: build with ./mvnw -DskipTests package");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx512m");
    // A service that runs out of memory exits, and the supervisor starts it again, instead of
    // staying up without answering.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    properties.forEach((key, value) -> command.add("--" + key + "=" + value));
    return new ChildService(module, port, logs.resolve(module + ".log"), command);
  }

  /** Starts a new process of this service; its output is appended to its log. */
  Process start() throws IOException {
    Files.createDirectories(log.getParent());
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return process;
  }

  Process process() {
    return process;
  }

  /**
   * Waits until {@code /actuator/health} answers 200.
   *
   * @throws StartRefused if the process exits first or is not healthy in time
   */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    Process current = process;
    long deadline = System.nanoTime() + timeout.toNanos();
    URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
    while (System.nanoTime() < deadline) {
      if (!current.isAlive()) {
        throw new StartRefused(
            name + " " + exitReason(current.exitValue()) + " while starting; see " + log);
      }
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new StartRefused(name + " was not healthy within " + timeout + "; see " + log);
  }

  /** Sends SIGTERM (a graceful shutdown) without waiting. */
  void requestStop() {
    Process current = process;
    if (current != null) {
      current.destroy();
    }
  }

  /** Waits for the process to end after {@link #requestStop()}, SIGKILL if it takes too long. */
  void awaitStopped(Duration grace) {
    Process current = process;
    if (current == null) {
      return;
    }
    try {
      if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      current.destroyForcibly();
    }
  }

  /** How a process ended, in words: "ran out of memory", "was killed", "exited with code 1". */
  static String exitReason(int exitCode) {
    return switch (exitCode) {
      case OUT_OF_MEMORY -> "ran out of memory (exit code 3)";
      case 128 + 9 -> "was killed (SIGKILL)";
      case 128 + 15 -> "was terminated (SIGTERM)";
      default -> "exited with code " + exitCode;
    };
  }
}
