package dev.editflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.stack.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests as a cluster would get them: the base and each overlay rendered by
 * {@code kubectl kustomize} (once per test run).
 */
final class Manifests {

  static final Path REPOSITORY = ServiceProcess.repositoryRoot();
  static final Path KUSTOMIZE = REPOSITORY.resolve("deploy/kustomize");

  private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

  private Manifests() {}

  /** The overlays under {@code deploy/kustomize/overlays}, by directory name. */
  static List<String> overlays() {
    try (Stream<Path> dirs = Files.list(KUSTOMIZE.resolve("overlays"))) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Rendered overlay(String name) {
    return RENDERED.computeIfAbsent("overlays/" + name, Manifests::render);
  }

  static Rendered base() {
    return RENDERED.computeIfAbsent("base", Manifests::render);
  }

  private static Rendered render(String path) {
    String kubectl =
        Commands.require(
            "kubectl",
            "Install kubectl (with its built-in Kustomize 5); .ci/run does on Debian machines.");
    String yaml =
        Commands.run(
            KUSTOMIZE, "", 60, List.of(kubectl, "kustomize", KUSTOMIZE.resolve(path).toString()));
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : new Yaml().loadAll(yaml)) {
      if (document != null) {
        objects.add(Yamls.map(document));
      }
    }
    assertThat(objects).as("objects rendered from %s", path).isNotEmpty();
    return new Rendered(path, yaml, objects);
  }

  /** One rendering: its YAML text and its objects. */
  record Rendered(String path, String yaml, List<Map<String, Object>> objects) {

    List<Map<String, Object>> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> named(String kind, String name) {
      return ofKind(kind).stream()
          .filter(o -> name.equals(Yamls.string(o, "metadata", "name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("%s has no %s %s".formatted(path, kind, name)));
    }

    /** A generated ConfigMap, found by the name it had before Kustomize added its hash. */
    Map<String, Object> configMap(String generatedFrom) {
      return ofKind("ConfigMap").stream()
          .filter(
              c -> Yamls.string(c, "metadata", "name").matches(generatedFrom + "(-[a-z0-9]{10})?"))
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("%s has no ConfigMap %s".formatted(path, generatedFrom)));
    }

    Map<String, Object> configMapNamed(String name) {
      return ofKind("ConfigMap").stream()
          .filter(c -> name.equals(Yamls.string(c, "metadata", "name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("%s has no ConfigMap %s".formatted(path, name)));
    }

    /** The namespace every namespaced object is in (overlays set one). */
    String namespace() {
      return objects.stream()
          .map(o -> Yamls.stringOrNull(o, "metadata", "namespace"))
          .filter(Objects::nonNull)
          .findFirst()
          .orElse("default");
    }

    @Override
    public String toString() {
      return path;
    }
  }
}
