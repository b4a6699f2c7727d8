package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the official fal JavaScript client ({@code @fal-ai/client}, unchanged, only its documented
 * {@code requestMiddleware} points it at us) with node against the running simulator. Needs node
 * and npm on PATH and the npm registry (or a warm npm cache); fails loudly without them.
 */
class OfficialJsClientCompatibilityIT extends SimulatorTestSupport {

  private static final Path SOURCES = Path.of("src/test/js");
  private static final Path WORK = Path.of("target/js-client");

  @Test
  void officialClientSubscribesAndUsesTheQueueApi() throws Exception {
    String node = executable("node");
    String npm = executable("npm");
    Files.createDirectories(WORK);
    for (String file : List.of("package.json", "package-lock.json", "official-client.mjs")) {
      Files.copy(
          SOURCES.resolve(file),
          WORK.resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    run(WORK, 300, npm, "ci", "--no-audit", "--no-fund");

    String output =
        run(
            WORK,
            120,
            List.of(
                "FAL_SIM_URL=" + baseUrl(),
                "INPUT_IMAGE_URL=" + outside.imageUrl(120, 90, "png"),
                "FAL_KEY=" + KEY,
                "FAL_MODEL=" + NANO),
            node,
            "official-client.mjs");

    String line =
        output
            .lines()
            .filter(l -> l.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("No RESULT line in node output:\n" + output));
    JsonNode result = json.readTree(line.substring("RESULT ".length()));
    assertThat(result.get("subscribe").get("states").toString()).contains("COMPLETED");
    assertThat(result.get("queue").get("finalStatus").asString()).isEqualTo("COMPLETED");
    for (String part : List.of("subscribe", "queue")) {
      JsonNode image = result.get(part).get("data").get("images").get(0);
      Response file = callRaw("GET", image.get("url").asString(), null);
      assertThat(file.status()).isEqualTo(200);
      assertThat(decode(file.raw().body()).getWidth()).isEqualTo(image.get("width").asInt());
      assertThat(result.get(part).get("requestId").asString()).isNotBlank();
    }
  }

  private static String executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(
        "'"
            + name
            + "' is not on PATH. OfficialJsClientCompatibilityIT needs node (20+) and npm to run"
            + " the official fal JavaScript client against the simulator; install them (e.g."
            + " apt-get install nodejs npm).");
  }

  private static String run(Path dir, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    return run(dir, timeoutSeconds, List.of(), command);
  }

  private static String run(Path dir, int timeoutSeconds, List<String> env, String... command)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    for (String entry : env) {
      int eq = entry.indexOf('=');
      builder.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    Path log = Files.createTempFile("falsim-js", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (!finished || process.exitValue() != 0) {
      fail(
          String.join(" ", command)
              + " failed ("
              + (finished ? "exit " + process.exitValue() : "timed out")
              + "):\n"
              + output);
    }
    return output;
  }
}
