package dev.editflow.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment or Job of a rendering, seen as the service it runs: the module whose image it runs,
 * its one container and the environment that container gets (ConfigMaps resolved; a secret appears
 * as {@code secret:<name>/<key>}).
 */
record Workload(
    String kind,
    String name,
    String module,
    Map<String, Object> podSpec,
    Map<String, Object> container,
    Map<String, String> environment) {

  static List<Workload> in(Manifests.Rendered rendered) {
    List<Workload> workloads = new ArrayList<>();
    for (String kind : List.of("Deployment", "Job")) {
      for (Map<String, Object> object : rendered.ofKind(kind)) {
        Map<String, Object> podSpec = Yamls.mapAt(object, "spec", "template", "spec");
        List<Map<String, Object>> containers = Yamls.maps(podSpec.get("containers"));
        if (containers.size() != 1) {
          throw new AssertionError(
              "%s %s has %d containers, expected one"
                  .formatted(kind, Yamls.string(object, "metadata", "name"), containers.size()));
        }
        Map<String, Object> container = containers.getFirst();
        workloads.add(
            new Workload(
                kind,
                Yamls.string(object, "metadata", "name"),
                moduleOf(Yamls.string(container, "image")),
                podSpec,
                container,
                environment(rendered, container)));
      }
    }
    return workloads;
  }

  /**
   * {@code registry.example.com/editflow/edit-worker:1.2.3} runs the module {@code edit-worker}.
   */
  static String moduleOf(String image) {
    String withoutTag = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    return withoutTag.substring(withoutTag.lastIndexOf('/') + 1);
  }

  String image() {
    return Yamls.string(container, "image");
  }

  /** The number of the container port with this name, if there is one. */
  Optional<Integer> containerPort(String portName) {
    return Yamls.maps(container.get("ports")).stream()
        .filter(p -> portName.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort"))
        .findFirst();
  }

  List<String> command() {
    return Yamls.list(container.get("command")).stream().map(String::valueOf).toList();
  }

  private static Map<String, String> environment(
      Manifests.Rendered rendered, Map<String, Object> container) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (Map<String, Object> source : Yamls.maps(container.get("envFrom"))) {
      String configMap = Yamls.stringOrNull(source, "configMapRef", "name");
      if (configMap == null) {
        throw new AssertionError("envFrom other than a ConfigMap: " + source);
      }
      Yamls.mapAt(rendered.configMapNamed(configMap), "data")
          .forEach((key, value) -> environment.put(key, String.valueOf(value)));
    }
    for (Map<String, Object> variable : Yamls.maps(container.get("env"))) {
      String name = Yamls.string(variable, "name");
      String secret = Yamls.stringOrNull(variable, "valueFrom", "secretKeyRef", "name");
      environment.put(
          name,
          secret != null
              ? "secret:"
                  + secret
                  + "/"
                  + Yamls.string(variable, "valueFrom", "secretKeyRef", "key")
              : Yamls.string(variable, "value"));
    }
    return environment;
  }
}
