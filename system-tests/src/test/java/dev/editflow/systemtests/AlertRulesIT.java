package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.stack.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert and recording rules as promtool (Debian's prometheus package) checks and unit-tests
 * them, and the promises around them: every alert has a severity, a summary and a runbook with the
 * four sections, and promtool tests in which it fires and in which it stays silent.
 */
class AlertRulesIT {

  private static final Path OPS = ServiceProcess.repositoryRoot().resolve("ops");
  private static final Path RULES = OPS.resolve("prometheus");

  @Test
  void passesPromtoolsCheck() {
    long recorded = PrometheusSystemIT.rules().size() - alerts().size();

    String output = promtool("check", "rules", "recording-rules.yml", "alerts.yml");

    assertThat(output)
        .contains("SUCCESS: " + recorded + " rules found")
        .contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void passesPromtoolsUnitTests() {
    List<String> files = new ArrayList<>();
    for (Path test : testFiles()) {
      files.add(RULES.relativize(test).toString());
    }
    assertThat(files).isNotEmpty();
    List<String> command = new ArrayList<>(List.of("test", "rules"));
    command.addAll(files);
    String output = promtool(command.toArray(String[]::new));
    assertThat(output).doesNotContain("FAILED");
  }

  @Test
  void givesEveryAlertASeveritySummaryAndRunbook() {
    List<Map<String, Object>> alerts = alerts();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(15);
    for (Map<String, Object> alert : alerts) {
      String name = String.valueOf(alert.get("alert"));
      Map<?, ?> labels = (Map<?, ?>) alert.get("labels");
      Map<?, ?> annotations = (Map<?, ?>) alert.get("annotations");
      assertThat(labels.get("severity")).as(name).isIn("critical", "warning");
      assertThat(String.valueOf(annotations.get("summary"))).as(name).isNotBlank();
      assertThat(annotations.get("runbook_url")).as(name).isEqualTo("ops/runbooks/" + name + ".md");
      Path runbook = OPS.resolve("runbooks").resolve(name + ".md");
      assertThat(runbook).as(name).exists();
      assertThat(read(runbook))
          .as(name)
          .startsWith("# " + name)
          .contains("## Meaning", "## Confirm", "## Fix or mitigate", "## Escalate");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void testsEveryAlertFiringAndSilent() {
    Set<String> fired = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (Path file : testFiles()) {
      Map<String, Object> yaml = new Yaml().load(read(file));
      for (Map<String, Object> test : (List<Map<String, Object>>) yaml.get("tests")) {
        for (Map<String, Object> check :
            (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
          List<?> expected = (List<?>) check.get("exp_alerts");
          (expected == null || expected.isEmpty() ? silent : fired)
              .add(String.valueOf(check.get("alertname")));
        }
      }
    }
    Set<String> names = new TreeSet<>();
    alerts().forEach(alert -> names.add(String.valueOf(alert.get("alert"))));
    assertThat(fired).as("alerts shown to fire").containsAll(names);
    assertThat(silent).as("alerts shown to stay silent").containsAll(names);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> alerts() {
    return PrometheusSystemIT.rules().stream().filter(rule -> rule.containsKey("alert")).toList();
  }

  private static List<Path> testFiles() {
    try (Stream<Path> files = Files.list(RULES.resolve("tests"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs promtool in ops/prometheus; a non-zero exit fails with promtool's whole output. */
  private static String promtool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(PrometheusServer.tool("promtool").toString());
    command.addAll(List.of(arguments));
    try {
      Process process =
          new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
