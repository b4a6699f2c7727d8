package dev.editflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine on the build machines, so docker-compose.yml is checked against the
 * applications instead: it parses, builds from jars that exist, uses the services' ports, keeps the
 * fal key on the worker alone, and every setting it passes is one the service reads.
 */
class DockerComposeFileTests {

  private static final Map<String, Integer> SERVICES =
      Map.of(
          "api-gateway", 8080, "edit-worker", 8081, "result-archiver", 8082, "fal-simulator", 8090);

  private final Path repository = LocalStack.repositoryRoot();
  private final Map<String, Object> compose = load();

  @Test
  void buildsEachServiceFromItsModuleJarOnItsPort() throws IOException {
    for (var service : SERVICES.entrySet()) {
      Map<String, Object> definition = service(service.getKey());
      assertThat(definition.get("build")).isEqualTo("./" + service.getKey());
      String dockerfile =
          Files.readString(repository.resolve(service.getKey()).resolve("Dockerfile"));
      assertThat(dockerfile).contains("COPY target/" + service.getKey() + ".jar");
      assertThat(repository.resolve(service.getKey()).resolve("pom.xml")).exists();
      assertThat(environment(service.getKey()).get("SERVER_PORT"))
          .isEqualTo(String.valueOf(service.getValue()));
      assertThat(definition.get("ports").toString())
          .contains(service.getValue() + ":" + service.getValue());
    }
  }

  @Test
  void givesTheFalKeyToTheWorkerAlone() {
    for (String name : SERVICES.keySet()) {
      boolean hasKey = environment(name).containsKey("FAL_KEY");
      assertThat(hasKey).as(name).isEqualTo(name.equals("edit-worker"));
    }
  }

  @Test
  void passesOnlySettingsTheServicesRead() throws IOException {
    for (String name : List.of("api-gateway", "edit-worker", "result-archiver")) {
      String sources = sourcesOf(name);
      for (String variable : environment(name).keySet()) {
        if (variable.equals("FAL_KEY") || variable.equals("SERVER_PORT")) {
          continue;
        }
        String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        String[] parts = property.split("\\.");
        String prefix = parts[0] + "." + parts[1];
        assertThat(prefix.startsWith("spring.") || sources.contains("\"" + prefix))
            .as("%s of %s maps to %s, which %s does not declare", variable, name, property, name)
            .isTrue();
      }
    }
  }

  @Test
  void prometheusScrapesEveryService() throws IOException {
    String prometheus = Files.readString(repository.resolve("ops/prometheus/prometheus.yml"));
    SERVICES.forEach((name, port) -> assertThat(prometheus).contains(name + ":" + port));
    assertThat(prometheus).contains("/actuator/prometheus");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> service(String name) {
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsKey(name);
    return (Map<String, Object>) services.get(name);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> environment(String name) {
    Object environment = service(name).get("environment");
    return environment == null ? Map.of() : (Map<String, Object>) environment;
  }

  /** Java sources and properties of a module, where its {@code @ConfigurationProperties} live. */
  private String sourcesOf(String module) throws IOException {
    List<String> contents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(repository.resolve(module).resolve("src/main"))) {
      files.filter(Files::isRegularFile).forEach(f -> contents.add(read(f)));
    }
    try (Stream<Path> files = Files.walk(repository.resolve("job-store/src/main"))) {
      files.filter(Files::isRegularFile).forEach(f -> contents.add(read(f)));
    }
    return String.join("\n", contents);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Object> load() {
    try {
      return new Yaml().load(Files.readString(repository.resolve("docker-compose.yml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
