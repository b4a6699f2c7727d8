package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.fail;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.testsupport.Teardown;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;

/**
 * Debian's {@code prometheus} binary (the {@code prometheus} package, 2.42) run by the tests: it
 * scrapes the services the tests started every 3 s (a scrape of a busy service on a loaded 2-core
 * machine can take over a second, and a scrape that times out records nothing), evaluates the
 * repository's alert and recording rules every second, and answers PromQL over its HTTP API.
 */
final class PrometheusServer {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final URI base;

  private PrometheusServer(Process process, URI base) {
    this.process = process;
    this.base = base;
  }

  /**
   * A tool of Debian's {@code prometheus} package. Missing, it fails the test with the command that
   * installs it ({@code .ci/run} does): alerts and dashboards must never go unchecked by accident.
   * {@code -Dprometheus.skip=true} skips instead, visibly, for machines that cannot have it.
   */
  static Path tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    Assumptions.assumeFalse(
        Boolean.getBoolean("prometheus.skip"),
        name + " is not installed and -Dprometheus.skip=true: rules and dashboards NOT checked");
    return fail(
        name
            + " is not on the PATH. Install Debian's prometheus package (apt-get install"
            + " prometheus; .ci/run does) or run with -Dprometheus.skip=true to skip this check.");
  }

  /**
   * Starts Prometheus scraping {@code jobs} (scrape job name → the service's instances) with the
   * repository's rules.
   */
  static PrometheusServer start(Map<String, List<ServiceProcess>> jobs) {
    Path prometheus = tool("prometheus");
    Path rules = ServiceProcess.repositoryRoot().resolve("ops/prometheus");
    int port = ServiceProcess.freePort();
    try {
      Path dir = Files.createTempDirectory("editflow-prometheus");
      StringBuilder config =
          new StringBuilder(
              """
              global:
                scrape_interval: 3s
                scrape_timeout: 3s
                evaluation_interval: 1s
              rule_files:
                - %s
                - %s
              scrape_configs:
              """
                  .formatted(rules.resolve("recording-rules.yml"), rules.resolve("alerts.yml")));
      jobs.forEach(
          (job, instances) ->
              config.append(
                  """
                    - job_name: %s
                      metrics_path: /actuator/prometheus
                      static_configs:
                        - targets: [%s]
                  """
                      .formatted(
                          job,
                          instances.stream()
                              .map(instance -> "\"127.0.0.1:" + instance.port() + "\"")
                              .collect(Collectors.joining(", ")))));
      Files.writeString(dir.resolve("prometheus.yml"), config);
      Path log = Path.of("target", "prometheus-" + port + ".log").toAbsolutePath();
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(
                  prometheus.toString(),
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      PrometheusServer server =
          new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
      Teardown.atExit(
          () -> {
            server.stop();
            deleteQuietly(dir);
          });
      server.awaitReady(log);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited; see " + log);
      }
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    throw new IllegalStateException("prometheus was not ready within 60 s; see " + log);
  }

  /** An instant query; a PromQL error is thrown with Prometheus' own message. */
  JsonNode query(String promql) {
    JsonNode answer =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(answer.path("status").asString())) {
      throw new PromqlFailed(promql, answer.path("error").asString());
    }
    return answer.path("data").path("result");
  }

  /** The rule groups as Prometheus evaluates them, with each rule's health and last error. */
  JsonNode ruleGroups() {
    return get("/api/v1/rules").path("data").path("groups");
  }

  /** Each scrape target's job, health and last error. */
  List<String> targets() {
    List<String> targets = new java.util.ArrayList<>();
    get("/api/v1/targets")
        .path("data")
        .path("activeTargets")
        .forEach(
            target ->
                targets.add(
                    target.path("labels").path("job").asString()
                        + " "
                        + target.path("health").asString()
                        + " "
                        + target.path("lastError").asString()));
    return targets;
  }

  /** Every metric name Prometheus has stored, recorded series included. */
  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    get("/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asString()));
    return names;
  }

  private JsonNode get(String path) {
    return EditflowApi.send(HttpRequest.newBuilder(base.resolve(path)).GET().build()).json();
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A query Prometheus refused to evaluate. */
  static final class PromqlFailed extends RuntimeException {
    PromqlFailed(String promql, String error) {
      super(error + " in: " + promql);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = files.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
      for (Path file : all) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a temp directory; the OS cleans it eventually
    }
  }
}
