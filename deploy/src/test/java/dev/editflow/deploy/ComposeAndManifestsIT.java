package dev.editflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Kubernetes manifests run the same images with the same settings; what
 * only one of them sets is listed here with the reason.
 */
class ComposeAndManifestsIT {

  private static final List<String> SERVICES =
      List.of("api-gateway", "edit-worker", "result-archiver");
  private static final List<String> IMAGES =
      List.of("api-gateway", "edit-worker", "result-archiver", "fal-simulator");

  private static final Map<String, String> ONLY_IN_COMPOSE =
      Map.of(
          "EDITFLOW_S3_ENDPOINT", "MinIO; Kubernetes uses S3 itself, the SDK's default endpoint",
          "EDITFLOW_S3_PUBLIC_ENDPOINT", "MinIO's address as seen from the host",
          "SERVER_PORT", "compose spells out the default port, Kubernetes names container ports",
          "SPRING_PROFILES_ACTIVE", "the demo's fixed token secret and dev token endpoint");

  private static final Map<String, String> ONLY_IN_KUBERNETES =
      Map.of(
          "EDITFLOW_MIGRATIONS_APPLY_ON_STARTUP",
              "a Job migrates once; compose services take turns",
          "EDITFLOW_MIGRATIONS_AWAIT_TIMEOUT", "how long pods wait for that Job",
          "MANAGEMENT_SERVER_PORT", "a port network policies can fence; compose has one network",
          "EDITFLOW_S3_REGION", "a real S3 region; MinIO ignores it",
          "EDITFLOW_GATEWAY_CORS_ALLOWED_ORIGINS", "the deployed frontend's origin",
          "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "production identity provider",
          "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI", "production identity provider",
          "EDITFLOW_GATEWAY_AUTH_HMAC_SECRET", "compose's local profile has a fixed one");

  private static final Pattern VERSION =
      Pattern.compile("<artifactId>editflow-parent</artifactId>\\s*<version>([^<]+)</version>");

  private final Map<String, Object> compose =
      Yamls.load(Manifests.REPOSITORY.resolve("docker-compose.yml"));

  @Test
  void setsTheSameSettingsOnEachServiceAsTheManifests() {
    for (String service : SERVICES) {
      Set<String> inCompose =
          new TreeSet<>(Yamls.mapAt(compose, "services", service, "environment").keySet());
      Set<String> inKubernetes = new TreeSet<>();
      for (String overlay : Manifests.overlays()) {
        Workload.in(Manifests.overlay(overlay)).stream()
            .filter(w -> w.kind().equals("Deployment") && w.name().equals(service))
            .forEach(w -> inKubernetes.addAll(w.environment().keySet()));
      }
      assertThat(inKubernetes).isNotEmpty();

      assertThat(difference(inCompose, inKubernetes))
          .as("%s: set in docker-compose.yml, in no overlay", service)
          .isSubsetOf(ONLY_IN_COMPOSE.keySet());
      assertThat(difference(inKubernetes, inCompose))
          .as("%s: set in the manifests, not in docker-compose.yml", service)
          .isSubsetOf(ONLY_IN_KUBERNETES.keySet());
    }
  }

  @Test
  void runsTheImagesComposeBuildsTaggedWithTheProjectVersion() throws Exception {
    Matcher version = VERSION.matcher(Files.readString(Manifests.REPOSITORY.resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    for (String module : IMAGES) {
      String image = "editflow/" + module + ":" + version.group(1);
      assertThat(Yamls.string(Yamls.mapAt(compose, "services", module), "image"))
          .as(module)
          .isEqualTo(image);
      assertThat(Yamls.string(Yamls.mapAt(compose, "services", module), "build"))
          .as(module)
          .isEqualTo("./" + module);
      assertThat(Files.exists(Path.of(Manifests.REPOSITORY.toString(), module, "Dockerfile")))
          .isTrue();
    }
    for (Workload workload : Workload.in(Manifests.base())) {
      assertThat(workload.image())
          .as(workload.name())
          .isEqualTo("editflow/" + workload.module() + ":" + version.group(1));
    }
    for (String overlay : Manifests.overlays()) {
      for (Workload workload : Workload.in(Manifests.overlay(overlay))) {
        assertThat(IMAGES)
            .as("%s runs an image this repository builds", workload.name())
            .contains(workload.module());
        assertThat(workload.image())
            .as("%s %s", overlay, workload.name())
            .contains("editflow/" + workload.module() + ":");
      }
    }
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> difference = new TreeSet<>(a);
    difference.removeAll(b);
    return difference;
  }
}
