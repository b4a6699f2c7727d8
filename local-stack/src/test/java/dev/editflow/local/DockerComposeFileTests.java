package dev.editflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.testsupport.RecordedMeters;
import dev.editflow.testsupport.ServiceSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine on the build machines, so docker-compose.yml and the files it mounts
 * are checked against the applications instead: the stack builds each service from the jar its
 * module produces, uses the services' ports, lets workers and archivers scale (no fixed host port,
 * every replica scraped), keeps the fal key on the worker alone, passes only settings the services
 * read and charts only metrics that exist.
 */
class DockerComposeFileTests {

  private static final Map<String, Integer> APPLICATIONS =
      Map.of(
          "api-gateway", 8080, "edit-worker", 8081, "result-archiver", 8082, "fal-simulator", 8090);

  /** Scaled with {@code docker compose up --scale}: a fixed host port would admit one replica. */
  private static final Set<String> SCALED = Set.of("edit-worker", "result-archiver");

  private static final Pattern SERIES_NAME = Pattern.compile("editflow_[a-z0-9_]+");
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}");

  private final Path repository = ServiceProcess.repositoryRoot();
  private final Map<String, Object> compose = yaml(repository.resolve("docker-compose.yml"));

  @Test
  void buildsEachApplicationFromTheJarItsModuleProduces() {
    Set<String> built = new TreeSet<>();
    services()
        .forEach(
            (name, definition) -> {
              if (definition.get("build") instanceof String context) {
                Path module = repository.resolve(context).normalize();
                built.add(module.getFileName().toString());
                assertBuildsJarOf(module);
              }
            });
    assertThat(built).isEqualTo(new TreeSet<>(APPLICATIONS.keySet()));
  }

  private void assertBuildsJarOf(Path module) {
    String name = module.getFileName().toString();
    String dockerfile = read(module.resolve("Dockerfile"));
    String pom = read(module.resolve("pom.xml"));
    assertThat(pom)
        .as("%s/pom.xml builds %s/target/%s.jar", name, name, name)
        .contains("<artifactId>" + name + "</artifactId>")
        .contains("<finalName>${project.artifactId}</finalName>")
        .contains("spring-boot-maven-plugin");
    assertThat(dockerfile)
        .as("%s/Dockerfile", name)
        .contains("FROM eclipse-temurin:21-jre")
        .contains("COPY target/" + name + ".jar ")
        .containsPattern("(?m)^USER (?!root)\\w+")
        .containsPattern("(?m)^HEALTHCHECK .*\\n?.*/actuator/health");
    assertThat(read(module.resolve(".dockerignore")))
        .as("%s/.dockerignore keeps the build context to the jar", name)
        .contains("!target/" + name + ".jar");
  }

  @Test
  void runsEachApplicationOnItsPortAndPublishesOnlyTheUnscaledOnes() {
    APPLICATIONS.forEach(
        (name, port) -> {
          assertThat(environment(name).get("SERVER_PORT")).as(name).isEqualTo(String.valueOf(port));
          if (SCALED.contains(name)) {
            assertThat(service(name))
                .as("%s publishes no host port", name)
                .doesNotContainKey("ports");
          } else {
            assertThat(String.valueOf(service(name).get("ports")))
                .as(name)
                .contains(port + ":" + port);
          }
        });
  }

  @Test
  void givesTheFalKeyToTheWorkerAlone() {
    services()
        .keySet()
        .forEach(
            name ->
                assertThat(environment(name).containsKey("FAL_KEY"))
                    .as("FAL_KEY on %s", name)
                    .isEqualTo(name.equals("edit-worker")));
  }

  @Test
  void passesOnlySettingsTheServicesRead() {
    List<String> unknown = new ArrayList<>();
    for (String name : APPLICATIONS.keySet()) {
      ServiceSettings module = ServiceSettings.of(repository, name);
      environment(name)
          .forEach(
              (variable, value) -> {
                if (!module.reads(variable, unquote(value))) {
                  unknown.add(
                      "%s on %s (relaxed binding: %s) is read by nothing in %s"
                          .formatted(
                              variable,
                              name,
                              variable.toLowerCase(Locale.ROOT).replace('_', '.'),
                              name));
                }
              });
    }
    assertThat(unknown).isEmpty();
  }

  @Test
  void scrapesEveryReplicaOfEveryApplicationThroughItsComposeName() {
    Map<String, Object> prometheus = yaml(repository.resolve("ops/prometheus/prometheus.yml"));
    Set<String> targets = new TreeSet<>();
    for (Map<String, Object> job :
        this.<Map<String, Object>>list(prometheus.get("scrape_configs"))) {
      assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
      assertThat(job)
          .as("static targets find one replica only")
          .doesNotContainKey("static_configs");
      for (Map<String, Object> lookup : this.<Map<String, Object>>list(job.get("dns_sd_configs"))) {
        assertThat(lookup.get("type")).isEqualTo("A");
        for (String name : this.<String>list(lookup.get("names"))) {
          assertThat(job.get("job_name")).as("job named like the service").isEqualTo(name);
          targets.add(name + ":" + lookup.get("port"));
        }
      }
    }
    Set<String> expected = new TreeSet<>();
    APPLICATIONS.forEach((name, port) -> expected.add(name + ":" + port));
    assertThat(targets).isEqualTo(expected);
    assertThat(services()).containsKeys("prometheus", "grafana");
  }

  @Test
  void chartsOnlyMetricsTheServicesRecord() {
    Map<String, Object> datasources =
        yaml(repository.resolve("ops/grafana/provisioning/datasources/prometheus.yml"));
    Map<String, Object> datasource =
        this.<Map<String, Object>>list(datasources.get("datasources")).getFirst();
    URI url = URI.create(String.valueOf(datasource.get("url")));
    assertThat(services()).containsKey(url.getHost());
    assertThat(String.valueOf(service(url.getHost()).get("ports"))).contains(":" + url.getPort());

    String dashboard = read(repository.resolve("ops/grafana/dashboards/editflow.json"));
    assertThat(yaml(dashboard)).containsKeys("panels", "title", "uid");
    RecordedMeters meters = RecordedMeters.in(repository);
    Set<String> charted = new TreeSet<>();
    Matcher series = SERIES_NAME.matcher(dashboard);
    while (series.find()) {
      charted.add(series.group());
    }
    assertThat(charted).isNotEmpty();
    assertThat(charted)
        .allSatisfy(name -> assertThat(meters.records(name)).as("meter behind %s", name).isTrue());
  }

  @Test
  void letsTheSimulatorFetchInputsThroughThePublicS3Endpoint() {
    URI publicEndpoint =
        URI.create(unquote(environment("api-gateway").get("EDITFLOW_S3_PUBLIC_ENDPOINT")));
    URI internalEndpoint =
        URI.create(unquote(environment("api-gateway").get("EDITFLOW_S3_ENDPOINT")));
    Map<String, Object> forwarder =
        services().values().stream()
            .filter(s -> "service:fal-simulator".equals(s.get("network_mode")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing forwards the simulator's localhost"));
    assertThat(String.valueOf(forwarder.get("command")))
        .contains("TCP-LISTEN:" + publicEndpoint.getPort())
        .contains("TCP:" + internalEndpoint.getHost() + ":" + internalEndpoint.getPort());
  }

  /** A compose value with {@code ${VAR:-default}} interpolated as when VAR is unset. */
  private static String unquote(Object value) {
    return DEFAULTED.matcher(String.valueOf(value)).replaceAll("$1");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  private Map<String, Object> service(String name) {
    assertThat(services()).containsKey(name);
    return services().get(name);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> environment(String name) {
    Object environment = service(name).get("environment");
    return environment == null ? Map.of() : (Map<String, Object>) environment;
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<T>) value;
  }

  private static Map<String, Object> yaml(Path file) {
    return yaml(read(file));
  }

  private static Map<String, Object> yaml(String text) {
    return new Yaml().load(text);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
