package dev.editflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/local-stack.jar} as a user runs it, with its own ports and data
 * directory, its console captured in {@code target/}.
 */
final class Launcher {

  private final Process process;
  private final Path console;

  private Launcher(Process process, Path console) {
    this.process = process;
    this.console = console;
  }

  static Launcher start(Map<String, String> environment, String name) {
    Path jar = Path.of("target", "local-stack.jar").toAbsolutePath();
    Path console = Path.of("target", "console-" + name + ".log").toAbsolutePath();
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile());
    builder.environment().putAll(environment);
    try {
      return new Launcher(builder.start(), console);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Process process() {
    return process;
  }

  String console() {
    try {
      return Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> consoleLines() {
    return console().lines().toList();
  }

  boolean isReady() {
    return console().contains("editflow is ready in");
  }

  /** Waits for the launcher to exit on its own; its exit code, or -1 if it did not. */
  int awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** SIGTERM, as Ctrl-C would, and waits for the orderly stop. */
  int stop() throws InterruptedException {
    process.destroy();
    return awaitExit(180);
  }
}
