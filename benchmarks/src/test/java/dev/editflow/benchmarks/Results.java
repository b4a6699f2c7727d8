package dev.editflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one run measured: figures (with their same-run baselines), details per benchmark and the
 * machine it ran on. Printed as a table and written as JSON and Markdown under {@code target/}.
 */
final class Results {

  static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final BenchmarkProfile profile;
  private final Instant startedAt = Instant.now();
  private final List<Figure> figures = new ArrayList<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final Map<String, String> failures = new LinkedHashMap<>();

  Results(BenchmarkProfile profile) {
    this.profile = profile;
  }

  synchronized void add(Figure figure) {
    figures.add(figure);
    System.out.printf(Locale.ROOT, "[benchmark] %s = %s%n", figure.id(), format(figure));
  }

  synchronized void detail(String key, Object value) {
    details.put(key, value);
  }

  synchronized void failed(String benchmark, Throwable error) {
    failures.put(benchmark, error.toString());
  }

  /** The benchmark left a process exited or unresponsive; the next ones ran on fresh processes. */
  synchronized void wedged(String benchmark, String what) {
    String note = "left the system wedged (" + what + "); the run went on with fresh processes";
    failures.merge(benchmark, note, (error, wedged) -> error + "; " + wedged);
  }

  synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  synchronized Map<String, String> failures() {
    return Map.copyOf(failures);
  }

  /** Writes {@code benchmark-results.json} and {@code benchmark-results.md}; returns the table. */
  synchronized String write(Path directory) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("profile", profile.name());
    document.put("startedAt", startedAt.toString());
    document.put("durationSeconds", Duration.between(startedAt, Instant.now()).toSeconds());
    document.put("machine", machine());
    document.put("settings", profile);
    document.put("figures", figures);
    document.put("details", details);
    document.put("failures", failures);
    String table = table();
    try {
      Files.createDirectories(directory);
      Files.writeString(
          directory.resolve("benchmark-results.json"), JSON.writeValueAsString(document));
      Files.writeString(directory.resolve("benchmark-results.md"), table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return table;
  }

  /** A Markdown table: each figure beside its baseline, the ratio and the target. */
  synchronized String table() {
    StringBuilder out = new StringBuilder();
    out.append("| id | figure | value | baseline (same run) | ratio | target | met |\n");
    out.append("|---|---|---:|---|---:|---|:---:|\n");
    for (Figure f : figures) {
      out.append("| ")
          .append(f.id())
          .append(" | ")
          .append(f.name())
          .append(" | ")
          .append(format(f))
          .append(" | ")
          .append(
              f.baselineName() == null
                  ? ""
                  : f.baselineName()
                      + ": "
                      + number(f.baseline() == null ? Double.NaN : f.baseline()))
          .append(" | ")
          .append(f.ratio() == null ? "" : number(f.ratio()))
          .append(" | ")
          .append(f.target() == null ? "" : f.target())
          .append(" | ")
          .append(f.met() == null ? "" : f.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    failures.forEach(
        (benchmark, error) ->
            out.append("| ")
                .append(benchmark)
                .append(" | ")
                .append(error.startsWith("left the system wedged") ? "" : "did not finish: ")
                .append(error.replace('|', '/'))
                .append(" | | | | | |\n"));
    return out.toString();
  }

  private static String format(Figure figure) {
    return number(figure.value()) + (figure.unit().isEmpty() ? "" : " " + figure.unit());
  }

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(
        Locale.ROOT, magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f", value);
  }

  private static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("cpuModel", firstLine(Path.of("/proc/cpuinfo"), "model name"));
    machine.put("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal"));
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    machine.put(
        "java",
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    machine.put(
        "loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    machine.put("gitCommit", gitCommit());
    return machine;
  }

  private static @Nullable String firstLine(Path file, String key) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(line -> line.startsWith(key))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static @Nullable String gitCommit() {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
              .redirectErrorStream(true)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
