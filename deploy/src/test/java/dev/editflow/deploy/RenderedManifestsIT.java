package dev.editflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay renders with {@code kubectl kustomize}, and every object it renders is valid
 * against the schema of its kind: Kubernetes, KEDA or prometheus-operator. No cluster needed.
 */
class RenderedManifestsIT {

  static Stream<String> overlays() {
    return Manifests.overlays().stream();
  }

  @Test
  void shipsAProductionAndAStagingOverlay() {
    assertThat(Manifests.overlays()).contains("production", "staging");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rendersOnlyObjectsValidAgainstTheSchemaOfTheirKind(String overlay) {
    Manifests.Rendered rendered = Manifests.overlay(overlay);

    SchemaValidator.Report report = SchemaValidator.validate(rendered.yaml());

    assertThat(report.errors()).as("schema errors in %s", overlay).isEmpty();
    assertThat(report.objects()).isEqualTo(rendered.objects().size());
    assertThat(report.kinds())
        .containsKeys(
            "apps/v1 Deployment",
            "batch/v1 Job",
            "v1 Service",
            "policy/v1 PodDisruptionBudget",
            "autoscaling/v2 HorizontalPodAutoscaler",
            "keda.sh/v1alpha1 ScaledObject",
            "keda.sh/v1alpha1 TriggerAuthentication",
            "networking.k8s.io/v1 NetworkPolicy",
            "monitoring.coreos.com/v1 ServiceMonitor",
            "monitoring.coreos.com/v1 PrometheusRule");
    System.out.printf(
        "%s: %d rendered objects validated (%s)%n", overlay, report.objects(), report.kinds());
  }

  @Test
  void theValidatorRejectsAnObjectThatBreaksItsSchema() {
    SchemaValidator.Report report =
        SchemaValidator.validate(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: broken}
            spec:
              scaleTargetRef: {name: edit-worker}
              minReplicaCount: two
              triggers: []
            """);

    assertThat(report.errors()).singleElement().asString().contains("minReplicaCount");
  }

  @Test
  void theValidatorRejectsAKindItHasNoSchemaFor() {
    SchemaValidator.Report report =
        SchemaValidator.validate(
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: unknown}
            """);

    assertThat(report.errors()).singleElement().asString().contains("no schema");
  }
}
