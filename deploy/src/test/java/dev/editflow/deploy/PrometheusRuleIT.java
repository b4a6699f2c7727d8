package dev.editflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cluster gets exactly the rules of {@code ops/prometheus} (recording rules, then alerts), the
 * files promtool tests: the PrometheusRule is generated from them, and a stale one fails here.
 */
class PrometheusRuleIT {

  private static final List<String> RULE_FILES =
      List.of("ops/prometheus/recording-rules.yml", "ops/prometheus/alerts.yml");

  static Stream<String> overlays() {
    return Manifests.overlays().stream();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void carriesTheRulesOfTheOpsRuleFiles(String overlay) {
    List<Object> expected = new ArrayList<>();
    for (String file : RULE_FILES) {
      Path path = Manifests.REPOSITORY.resolve(file);
      if (Files.exists(path)) {
        expected.addAll(Yamls.list(Yamls.load(path).get("groups")));
      }
    }
    assertThat(expected).as("rule groups in %s", RULE_FILES).isNotEmpty();

    Map<String, Object> rule = Manifests.overlay(overlay).named("PrometheusRule", "editflow");

    assertThat(Yamls.list(Yamls.at(rule, "spec", "groups")))
        .as(
            "%s's PrometheusRule is stale: run node deploy/validation/prometheus-rule.mjs"
                + " (after npm --prefix deploy/validation ci)",
            overlay)
        .isEqualTo(expected);
  }
}
