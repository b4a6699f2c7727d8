package dev.editflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs {@code deploy/validation/validate-manifests.mjs} (the npm packages kubernetes-models,
 * {@code @kubernetes-models/keda} and {@code @kubernetes-models/prometheus-operator}) on rendered
 * YAML, from a copy in {@code target/} so that the source tree gets no {@code node_modules}.
 */
final class SchemaValidator {

  private static final Path SOURCES = Manifests.REPOSITORY.resolve("deploy/validation");
  private static final Path WORK = Manifests.REPOSITORY.resolve("deploy/target/validation");
  private static final String HOW_TO_GET_NODE =
      "Install Node.js 20+ and npm (apt-get install nodejs npm); .ci/run does.";

  private static volatile boolean installed;

  private SchemaValidator() {}

  /** What the validator said: objects seen, count per "apiVersion kind", errors. */
  record Report(int objects, Map<String, Integer> kinds, List<String> errors) {}

  static Report validate(String yaml) {
    install();
    String node = Commands.require("node", HOW_TO_GET_NODE);
    // The validator exits 1 on errors; its report is what we assert on, so run it through a
    // shell that always succeeds and keeps the report.
    String output =
        Commands.run(
            WORK, yaml, 120, List.of("sh", "-c", "\"$0\" validate-manifests.mjs || true", node));
    String report = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
    if (report.isEmpty()) {
      throw new AssertionError("the validator printed no report:\n" + output);
    }
    Map<String, Object> parsed = Yamls.map(new Yaml().load(report));
    @SuppressWarnings("unchecked")
    Map<String, Integer> kinds = (Map<String, Integer>) parsed.get("kinds");
    return new Report(
        (Integer) parsed.get("objects"),
        kinds,
        Yamls.list(parsed.get("errors")).stream().map(String::valueOf).toList());
  }

  private static synchronized void install() {
    if (installed) {
      return;
    }
    String npm = Commands.require("npm", HOW_TO_GET_NODE);
    try {
      Files.createDirectories(WORK);
      try (var files = Files.list(SOURCES)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Files.copy(file, WORK.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Commands.run(WORK, "", 300, List.of(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"));
    installed = true;
  }
}
