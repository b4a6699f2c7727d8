package dev.editflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine on the build machines, so docker-compose.yml and the files it mounts
 * are checked against the applications instead: the stack builds each service from the jar its
 * module produces, uses the services' ports, keeps the fal key on the worker alone, passes only
 * settings the services read, scrapes every service and charts only metrics that exist.
 */
class DockerComposeFileTests {

  private static final Map<String, Integer> APPLICATIONS =
      Map.of(
          "api-gateway", 8080, "edit-worker", 8081, "result-archiver", 8082, "fal-simulator", 8090);
  private static final Pattern CONFIGURATION_PROPERTIES =
      Pattern.compile("@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
  private static final Pattern METER_NAME = Pattern.compile("\"(editflow\\.[a-z0-9.\\-]+)\"");
  private static final Pattern SERIES_NAME = Pattern.compile("editflow_[a-z0-9_]+");
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}");

  private final Path repository = LocalStack.repositoryRoot();
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
  void publishesEachApplicationOnItsPort() {
    APPLICATIONS.forEach(
        (name, port) -> {
          assertThat(environment(name).get("SERVER_PORT")).as(name).isEqualTo(String.valueOf(port));
          assertThat(String.valueOf(service(name).get("ports")))
              .as(name)
              .contains(port + ":" + port);
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
      Module module = module(name);
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
  void scrapesEveryApplicationByItsComposeName() {
    Map<String, Object> prometheus = yaml(repository.resolve("ops/prometheus/prometheus.yml"));
    Set<String> targets = new TreeSet<>();
    for (Map<String, Object> job :
        this.<Map<String, Object>>list(prometheus.get("scrape_configs"))) {
      assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
      for (Map<String, Object> config : this.<Map<String, Object>>list(job.get("static_configs"))) {
        targets.addAll(this.<String>list(config.get("targets")));
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
    Set<String> meters = meterNames();
    Set<String> charted = new TreeSet<>();
    Matcher series = SERIES_NAME.matcher(dashboard);
    while (series.find()) {
      charted.add(series.group());
    }
    assertThat(charted).isNotEmpty();
    assertThat(charted)
        .allSatisfy(name -> assertThat(meters).as("meter behind %s", name).contains(meterOf(name)));
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

  /** What one module reads: its properties files and its and its libraries' settings classes. */
  private Module module(String name) {
    Path dir = repository.resolve(name);
    String pom = read(dir.resolve("pom.xml"));
    List<Path> sourceRoots = new ArrayList<>(List.of(dir.resolve("src/main")));
    try (Stream<Path> modules = Files.list(repository)) {
      modules
          .filter(
              m -> Files.exists(m.resolve("pom.xml")) && Files.isDirectory(m.resolve("src/main")))
          .filter(m -> pom.contains("<artifactId>" + m.getFileName() + "</artifactId>"))
          .filter(m -> !m.equals(dir))
          .forEach(m -> sourceRoots.add(m.resolve("src/main")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    Map<String, String> settingsClasses = new HashMap<>();
    for (Path root : sourceRoots) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(Files::isRegularFile)
            .forEach(
                file -> {
                  String text = read(file);
                  String fileName = file.getFileName().toString();
                  if (root.startsWith(dir) && fileName.matches("application.*\\.properties")) {
                    properties.put(fileName, text);
                  }
                  Matcher prefix = CONFIGURATION_PROPERTIES.matcher(text);
                  while (prefix.find()) {
                    settingsClasses.merge(prefix.group(1), text, String::concat);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Module(properties, settingsClasses);
  }

  private record Module(Map<String, String> propertiesFiles, Map<String, String> settingsClasses) {

    boolean reads(String variable, String value) {
      String lower = variable.toLowerCase(Locale.ROOT);
      if (propertiesFiles.values().stream().anyMatch(text -> text.contains("${" + variable))) {
        return true;
      }
      if (lower.equals("spring_profiles_active")) {
        return Stream.of(value.split(","))
            .allMatch(p -> propertiesFiles.containsKey("application-" + p.strip() + ".properties"));
      }
      if (keys().anyMatch(key -> boundBy(key, lower))) {
        return true;
      }
      if (!lower.startsWith("editflow_")) {
        // Boot's own namespaces (spring.datasource, server.port ...): the module configures it.
        String[] parts = lower.split("_");
        String namespace = parts[0] + "." + parts[1];
        return keys().anyMatch(key -> key.startsWith(namespace + ".") || key.equals(namespace));
      }
      return settingsClasses.entrySet().stream()
          .filter(e -> lower.startsWith(e.getKey().replace('.', '_').replace('-', '_') + "_"))
          .anyMatch(
              e -> {
                String tail =
                    lower.substring(e.getKey().length() + 1).replace("_", "").replace("-", "");
                return spelledWith(tail, identifiersOf(e.getValue()));
              });
    }

    private Stream<String> keys() {
      return propertiesFiles.values().stream()
          .flatMap(String::lines)
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
          .map(line -> line.substring(0, line.indexOf('=')).strip().toLowerCase(Locale.ROOT));
    }

    /** Spring's environment-variable forms of a property: dashes dropped, or made underscores. */
    private static boolean boundBy(String key, String variable) {
      String dotted = key.replace('.', '_');
      return dotted.replace("-", "").equals(variable) || dotted.replace('-', '_').equals(variable);
    }

    private static Set<String> identifiersOf(String source) {
      Set<String> identifiers = new HashSet<>();
      Matcher identifier = IDENTIFIER.matcher(source);
      while (identifier.find()) {
        identifiers.add(identifier.group().toLowerCase(Locale.ROOT));
      }
      return identifiers;
    }

    /** Whether the path below the prefix is a chain of names the settings class declares. */
    private static boolean spelledWith(String tail, Set<String> words) {
      boolean[] reachable = new boolean[tail.length() + 1];
      reachable[0] = true;
      for (int end = 1; end <= tail.length(); end++) {
        for (int start = 0; start < end && !reachable[end]; start++) {
          reachable[end] = reachable[start] && words.contains(tail.substring(start, end));
        }
      }
      return !tail.isEmpty() && reachable[tail.length()];
    }
  }

  /** Meter names (normalised to Prometheus' underscores) created in any module's main sources. */
  private Set<String> meterNames() {
    Set<String> names = new HashSet<>();
    try (Stream<Path> modules = Files.list(repository)) {
      for (Path sources :
          modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(sources)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .forEach(
                  f -> {
                    Matcher meter = METER_NAME.matcher(read(f));
                    while (meter.find()) {
                      names.add(meter.group(1).replace('.', '_').replace('-', '_'));
                    }
                  });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  /** The meter behind a Prometheus series: without histogram, counter and base-unit suffixes. */
  private static String meterOf(String series) {
    String name = series.replaceFirst("_(bucket|count|sum|max)$", "");
    name = name.replaceFirst("_total$", "");
    return name.replaceFirst("_(seconds|usd)$", "");
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
