package dev.editflow.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The command-line tools the offline checks need; a missing one fails loudly, never skips. */
final class Commands {

  private Commands() {}

  /** The path of {@code name} on PATH, or a failure that says how to get it. */
  static String require(String name, String howToGetIt) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("'%s' is not on PATH; the deployment checks need it. %s", name, howToGetIt);
  }

  /** Runs a command and returns its standard output; fails with its output when it fails. */
  static String run(Path dir, String stdin, int timeoutSeconds, List<String> command) {
    try {
      Path out = Files.createTempFile("deploy-check", ".out");
      Path err = Files.createTempFile("deploy-check", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
          process.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (!finished || process.exitValue() != 0) {
          fail(
              "%s %s in %s:%n%s%n%s",
              String.join(" ", command),
              finished ? "exited with " + process.exitValue() : "timed out",
              dir,
              output,
              Files.readString(err, StandardCharsets.UTF_8));
        }
        return output;
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return fail("could not run %s: %s", String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while running %s", String.join(" ", command));
    }
  }
}
