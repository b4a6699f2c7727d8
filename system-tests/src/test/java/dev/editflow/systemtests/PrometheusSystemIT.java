package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.stack.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * Every Grafana panel query and every alert and recording rule, asked of a real Prometheus that
 * scraped the real services while they ran real jobs (see {@link ObservedJobs}). A typo in a metric
 * or label name would otherwise show an empty panel, or an alert that can never fire, forever.
 */
class PrometheusSystemIT {

  /** Names in PromQL that are not metrics, besides functions and aggregations (before a "("). */
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "bool", "offset", "le");

  private static final Pattern METRIC =
      Pattern.compile("(?<![\\w:.$])[a-zA-Z_:][\\w:]*(?![\\w:])(?!\\s*\\()");

  static ObservedJobs jobs;
  static PrometheusServer prometheus;

  @BeforeAll
  static void runJobs() {
    jobs = ObservedJobs.get();
    jobs.runAgainIfOlderThan(Duration.ofMinutes(1));
    prometheus = jobs.prometheus;
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(prometheus.targets())
                    .as("scrape targets")
                    .hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(target -> assertThat(target).contains(" up ")));
    // Until Prometheus has scraped every outcome and evaluated the rules on it.
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(
                        labelValues(
                            prometheus.query("sum by (status) (editflow_jobs_finished_total)"),
                            "status"))
                    .contains("SUCCEEDED", "FAILED", "CANCELLED"));
    // Each rule group is evaluated on its own, and a rate needs two scrapes of its counter: wait
    // until every recorded series has been written once, not just the first group's.
    Set<String> recorded = new TreeSet<>();
    rules().forEach(rule -> recorded.add(String.valueOf(rule.getOrDefault("record", ""))));
    recorded.remove("");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(prometheus.metricNames()).containsAll(recorded));
  }

  @Test
  void answersEveryDashboardQueryWithData() {
    Map<String, String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(30);
    // A rate needs two scrapes after the jobs; a loaded machine may miss one, so wait a little.
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(panelsWithoutData(queries))
                    .as("scrape targets: %s", prometheus.targets())
                    .isEmpty());
    System.out.printf("Asked Prometheus %d dashboard panel queries.%n", queries.size());
  }

  private static List<String> panelsWithoutData(Map<String, String> queries) {
    List<String> problems = new ArrayList<>();
    queries.forEach(
        (panel, query) -> {
          try {
            if (prometheus.query(query).isEmpty()) {
              problems.add(panel + ": no data for " + query);
            }
          } catch (PrometheusServer.PromqlFailed e) {
            problems.add(panel + ": " + e.getMessage());
          }
        });
    return problems;
  }

  @Test
  void evaluatesEveryRuleWithoutErrorAndRecordsEverySeries() {
    List<Map<String, Object>> rules = rules();
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> rule : rules) {
      String expr = String.valueOf(rule.get("expr"));
      String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
      try {
        JsonNode result = prometheus.query(expr);
        if (rule.containsKey("record") && result.isEmpty()) {
          problems.add(name + " records nothing: " + expr);
        }
      } catch (PrometheusServer.PromqlFailed e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    int evaluated = 0;
    for (JsonNode group : prometheus.ruleGroups()) {
      for (JsonNode rule : group.path("rules")) {
        evaluated++;
        if (!"ok".equals(rule.path("health").asString())) {
          problems.add(
              rule.path("name").asString()
                  + " is "
                  + rule.path("health").asString()
                  + ": "
                  + rule.path("lastError").asString());
        }
      }
    }
    System.out.printf(
        "Asked Prometheus %d rule expressions; it evaluates %d rules, all healthy.%n",
        rules.size(), evaluated);
    assertThat(evaluated).isEqualTo(rules.size());
    assertThat(problems).isEmpty();
  }

  @Test
  void readsOnlyMetricsTheServicesExpose() {
    Set<String> referenced = new TreeSet<>();
    dashboardQueries().values().forEach(query -> referenced.addAll(metricNames(query)));
    rules().forEach(rule -> referenced.addAll(metricNames(String.valueOf(rule.get("expr")))));
    Set<String> stored = prometheus.metricNames();

    assertThat(referenced)
        .contains("editflow_jobs_waiting_for_fal_slot", "hikaricp_connections_pending");
    assertThat(stored).containsAll(referenced);
  }

  /** Every target of every panel, by panel title. */
  static Map<String, String> dashboardQueries() {
    JsonNode dashboard = EditflowApi.JSON.readTree(read("ops/grafana/dashboards/editflow.json"));
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            panel.path("title").asString() + " [" + target.path("refId").asString() + "]",
            target.path("expr").asString());
      }
    }
    return queries;
  }

  /** Every rule of alerts.yml and recording-rules.yml. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (String file : List.of("ops/prometheus/recording-rules.yml", "ops/prometheus/alerts.yml")) {
      Map<String, Object> yaml = new Yaml().load(read(file));
      for (Map<String, Object> group : (List<Map<String, Object>>) yaml.get("groups")) {
        rules.addAll((List<Map<String, Object>>) group.get("rules"));
      }
    }
    return rules;
  }

  /** The metric names a PromQL expression reads: label matchers, groupings and strings removed. */
  static Set<String> metricNames(String promql) {
    String bare =
        promql
            .replaceAll("\"[^\"]*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\[[^]]*]", " ");
    Set<String> names = new TreeSet<>();
    Matcher name = METRIC.matcher(bare);
    while (name.find()) {
      if (!KEYWORDS.contains(name.group()) && !name.group().matches("\\d.*")) {
        names.add(name.group());
      }
    }
    return names;
  }

  private static Set<String> labelValues(JsonNode result, String label) {
    Set<String> values = new TreeSet<>();
    result.forEach(series -> values.add(series.path("metric").path(label).asString()));
    return values;
  }

  private static String read(String path) {
    try {
      return Files.readString(ServiceProcess.repositoryRoot().resolve(Path.of(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
