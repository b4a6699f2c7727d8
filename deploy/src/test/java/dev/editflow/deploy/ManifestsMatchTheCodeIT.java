package dev.editflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.testsupport.RecordedMeters;
import dev.editflow.testsupport.ServiceSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.convert.DurationStyle;

/**
 * The rendered manifests against the services' code: probes ask for health groups the services
 * expose on the ports they listen on, every variable binds to a real setting, shutdown fits the
 * grace period, the JVM runs the image's jar with the agreed flags and user, autoscaling asks for
 * series and tables that exist, and the network lets only Prometheus reach actuator.
 */
class ManifestsMatchTheCodeIT {

  private static final Set<String> SERVICES =
      Set.of("api-gateway", "edit-worker", "result-archiver");

  private static final Pattern SERIES = Pattern.compile("editflow_[a-z0-9_]+");
  private static final Pattern NAMESPACE_MATCHER = Pattern.compile("namespace=\"([^\"]*)\"");
  private static final Pattern CLAMP =
      Pattern.compile("clamp_max\\(.*,\\s*(\\d+)\\)\\s*$", Pattern.DOTALL);
  private static final Pattern PERCENTAGE =
      Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");
  private static final Pattern UID = Pattern.compile("--uid (\\d+)");
  private static final Set<Integer> WORKER_EGRESS_PORTS = Set.of(53, 443, 5432, 5671, 5672, 8090);

  private static final Path REPOSITORY = Manifests.REPOSITORY;

  static Stream<String> overlays() {
    return Manifests.overlays().stream();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void probesAskForHealthGroupsTheServicesExposeOnThePortTheyServeActuatorOn(String overlay) {
    for (Workload workload : deployments(overlay)) {
      ServiceSettings settings = ServiceSettings.of(REPOSITORY, workload.module());
      Map<String, String> env = workload.environment();
      String what = overlay + " " + workload.name();
      assertThat(settings.value("management.endpoints.web.exposure.include", env))
          .as("%s exposes health", what)
          .hasValueSatisfying(v -> assertThat(v.split(",")).contains("health"));
      assertThat(settings.value("management.endpoints.web.base-path", env).orElse("/actuator"))
          .isEqualTo("/actuator");
      assertThat(settings.value("management.endpoint.health.probes.enabled", env))
          .as("%s has the liveness and readiness groups", what)
          .contains("true");
      int actuatorPort =
          Integer.parseInt(
              settings
                  .value("management.server.port", env)
                  .or(() -> settings.value("server.port", env))
                  .orElse("8080"));
      Map<String, String> expected =
          Map.of(
              "startupProbe", "/actuator/health/liveness",
              "livenessProbe", "/actuator/health/liveness",
              "readinessProbe", "/actuator/health/readiness");
      if ("false".equals(env.get("EDITFLOW_MIGRATIONS_APPLY_ON_STARTUP"))) {
        Duration wait =
            DurationStyle.detectAndParse(
                settings
                    .value("editflow.migrations.await-timeout", env)
                    .orElseThrow(() -> new AssertionError(what + " sets no await-timeout")));
        Map<String, Object> startup = Yamls.mapAt(workload.container(), "startupProbe");
        long budget =
            ((Number) startup.get("periodSeconds")).longValue()
                * ((Number) startup.get("failureThreshold")).longValue();
        assertThat(budget)
            .as(
                "%s: the startup probe outlasts the wait for the migration (%s) plus a start",
                what, wait)
            .isGreaterThanOrEqualTo(wait.toSeconds() + 60);
      }
      expected.forEach(
          (probe, path) -> {
            Map<String, Object> httpGet = Yamls.mapAt(workload.container(), probe, "httpGet");
            assertThat(httpGet).as("%s %s", what, probe).isNotEmpty();
            assertThat(httpGet.get("path")).as("%s %s", what, probe).isEqualTo(path);
            assertThat(portNumber(workload, httpGet.get("port")))
                .as("%s %s port: where actuator listens", what, probe)
                .isEqualTo(actuatorPort);
          });
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void passesOnlySettingsTheServicesRead(String overlay) {
    List<String> unknown = new ArrayList<>();
    for (Workload workload : Workload.in(Manifests.overlay(overlay))) {
      ServiceSettings settings = ServiceSettings.of(REPOSITORY, workload.module());
      workload
          .environment()
          .forEach(
              (variable, value) -> {
                if (!settings.reads(variable, value)) {
                  unknown.add(
                      "%s on %s is read by nothing in %s"
                          .formatted(variable, workload.name(), workload.module()));
                }
              });
    }
    assertThat(unknown).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void givesTheFalKeyToTheWorkerAlone(String overlay) {
    for (Workload workload : Workload.in(Manifests.overlay(overlay))) {
      assertThat(workload.environment().containsKey("FAL_KEY"))
          .as("FAL_KEY on %s %s", workload.kind(), workload.name())
          .isEqualTo(workload.kind().equals("Deployment") && workload.name().equals("edit-worker"));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void givesEveryServiceTimeToShutDownGracefullyBeforeItIsKilled(String overlay) {
    for (Workload workload : deployments(overlay)) {
      ServiceSettings settings = ServiceSettings.of(REPOSITORY, workload.module());
      Duration phase =
          DurationStyle.detectAndParse(
              settings
                  .value("spring.lifecycle.timeout-per-shutdown-phase", workload.environment())
                  .orElse("30s"));
      List<Object> preStop =
          Yamls.list(Yamls.at(workload.container(), "lifecycle", "preStop", "exec", "command"));
      long preStopSeconds =
          preStop.size() == 2 && "sleep".equals(preStop.get(0))
              ? Long.parseLong(String.valueOf(preStop.get(1)))
              : 0;
      // The web server's drain and the message listeners' stop are the phases that wait.
      assertThat(((Number) workload.podSpec().get("terminationGracePeriodSeconds")).longValue())
          .as(
              "%s %s grace period vs preStop %d s + 2 x %s",
              overlay, workload.name(), preStopSeconds, phase)
          .isGreaterThanOrEqualTo(preStopSeconds + 2 * phase.toSeconds());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void runsTheImagesJarWithExitOnOutOfMemoryAndAHeapSizedFromTheMemoryLimit(String overlay) {
    for (Workload workload : Workload.in(Manifests.overlay(overlay))) {
      String what = overlay + " " + workload.name();
      List<String> command = workload.command();
      assertThat(command).as(what).startsWith("java").contains("-XX:+ExitOnOutOfMemoryError");
      Matcher percentage = PERCENTAGE.matcher(String.join(" ", command));
      assertThat(percentage.find()).as("%s sets -XX:MaxRAMPercentage", what).isTrue();
      assertThat(Double.parseDouble(percentage.group(1))).as(what).isBetween(50.0, 75.0);
      assertThat(String.join(" ", command))
          .as(what)
          .containsPattern("(-jar|-cp) /app/app\\.jar( |$)");
      String dockerfile = read(REPOSITORY.resolve(workload.module()).resolve("Dockerfile"));
      assertThat(dockerfile)
          .as("%s/Dockerfile puts its jar where %s runs it", workload.module(), what)
          .contains("WORKDIR /app")
          .contains("COPY target/" + workload.module() + ".jar app.jar");
      Map<String, Object> resources = Yamls.mapAt(workload.container(), "resources");
      assertThat(Yamls.mapAt(resources, "requests")).as(what).containsKeys("cpu", "memory");
      assertThat(Yamls.mapAt(resources, "limits")).as(what).containsKeys("cpu", "memory");
      assertThat(Yamls.at(resources, "limits", "memory"))
          .as("%s: the heap is a share of the limit, so the pod must get all of it", what)
          .isEqualTo(Yamls.at(resources, "requests", "memory"));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void runsAsTheImagesUserOnAReadOnlyRootFileSystemWithAWritableTmp(String overlay) {
    for (Workload workload : Workload.in(Manifests.overlay(overlay))) {
      String what = overlay + " " + workload.name();
      Matcher uid = UID.matcher(read(REPOSITORY.resolve(workload.module()).resolve("Dockerfile")));
      assertThat(uid.find())
          .as("%s/Dockerfile creates a user with a fixed uid", workload.module())
          .isTrue();
      Map<String, Object> pod = Yamls.mapAt(workload.podSpec(), "securityContext");
      assertThat(pod)
          .as(what)
          .containsEntry("runAsNonRoot", true)
          .containsEntry("runAsUser", Integer.parseInt(uid.group(1)));
      assertThat(Yamls.at(pod, "seccompProfile", "type")).as(what).isEqualTo("RuntimeDefault");
      assertThat(workload.podSpec().get("automountServiceAccountToken")).as(what).isEqualTo(false);
      Map<String, Object> container = Yamls.mapAt(workload.container(), "securityContext");
      assertThat(container)
          .as(what)
          .containsEntry("readOnlyRootFilesystem", true)
          .containsEntry("allowPrivilegeEscalation", false);
      assertThat(Yamls.list(Yamls.at(container, "capabilities", "drop")))
          .as(what)
          .containsExactly("ALL");
      String tmpVolume =
          Yamls.maps(workload.container().get("volumeMounts")).stream()
              .filter(m -> "/tmp".equals(m.get("mountPath")))
              .map(m -> String.valueOf(m.get("name")))
              .findFirst()
              .orElseThrow(() -> new AssertionError(what + " mounts nothing writable at /tmp"));
      assertThat(Yamls.maps(workload.podSpec().get("volumes")))
          .as(what)
          .anySatisfy(v -> assertThat(v).containsEntry("name", tmpVolume).containsKey("emptyDir"));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void givesEveryServiceAServiceADisruptionBudgetAnAutoscalerAndAScrape(String overlay) {
    Manifests.Rendered rendered = Manifests.overlay(overlay);
    for (Workload workload : deployments(overlay)) {
      Map<String, Object> deployment = rendered.named("Deployment", workload.name());
      Map<String, Object> podLabels =
          Yamls.mapAt(deployment, "spec", "template", "metadata", "labels");
      Map<String, Object> service =
          rendered.ofKind("Service").stream()
              .filter(s -> matchLabels(Yamls.mapAt(s, "spec", "selector"), podLabels))
              .findFirst()
              .orElseThrow(() -> new AssertionError(workload.name() + " has no Service"));
      for (Map<String, Object> port : Yamls.maps(Yamls.at(service, "spec", "ports"))) {
        assertThat(portNumber(workload, port.get("targetPort")))
            .as("%s Service port", workload.name())
            .isNotNull();
      }
      assertThat(rendered.ofKind("PodDisruptionBudget"))
          .as("%s has a PodDisruptionBudget", workload.name())
          .anySatisfy(
              p -> assertThat(selects(Yamls.mapAt(p, "spec", "selector"), podLabels)).isTrue());
      boolean autoscaled =
          Stream.concat(
                  rendered.ofKind("HorizontalPodAutoscaler").stream(),
                  rendered.ofKind("ScaledObject").stream())
              .anyMatch(
                  a ->
                      workload
                          .name()
                          .equals(Yamls.stringOrNull(a, "spec", "scaleTargetRef", "name")));
      if (SERVICES.contains(workload.name())) {
        assertThat(autoscaled).as("%s is autoscaled", workload.name()).isTrue();
        assertThat(Yamls.at(deployment, "spec", "replicas"))
            .as("%s: its autoscaler owns replicas", workload.name())
            .isNull();
        Map<String, Object> monitor = rendered.named("ServiceMonitor", "editflow");
        assertThat(
                selects(
                    Yamls.mapAt(monitor, "spec", "selector"),
                    Yamls.mapAt(service, "metadata", "labels")))
            .as("the ServiceMonitor selects the Service of %s", workload.name())
            .isTrue();
        for (Map<String, Object> endpoint : Yamls.maps(Yamls.at(monitor, "spec", "endpoints"))) {
          assertThat(Yamls.maps(Yamls.at(service, "spec", "ports")))
              .anySatisfy(p -> assertThat(p.get("name")).isEqualTo(endpoint.get("port")));
          assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
          ServiceSettings settings = ServiceSettings.of(REPOSITORY, workload.module());
          assertThat(
                  settings.value(
                      "management.endpoints.web.exposure.include", workload.environment()))
              .hasValueSatisfying(v -> assertThat(v.split(",")).contains("prometheus"));
          assertThat(portNumber(workload, endpoint.get("port")))
              .as("%s is scraped where actuator listens", workload.name())
              .isEqualTo(
                  portNumber(
                      workload,
                      Yamls.at(workload.container(), "readinessProbe", "httpGet", "port")));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void scalesTheWorkerOnTheJobsItCarriesCappedAtTheFalAccountsLimit(String overlay) {
    Manifests.Rendered rendered = Manifests.overlay(overlay);
    Map<String, Object> scaledObject = rendered.named("ScaledObject", "edit-worker");
    assertThat((Integer) Yamls.at(scaledObject, "spec", "minReplicaCount"))
        .as("the worker also hands out fal slots and enforces deadlines: never zero")
        .isGreaterThanOrEqualTo(1);
    String query = Yamls.string(trigger(scaledObject, "prometheus"), "metadata", "query");
    RecordedMeters meters = RecordedMeters.in(REPOSITORY);
    Matcher series = SERIES.matcher(query);
    Set<String> asked = new TreeSet<>();
    while (series.find()) {
      asked.add(series.group());
    }
    assertThat(asked).contains("editflow_worker_in_flight", "editflow_jobs_waiting_for_fal_slot");
    assertThat(asked)
        .allSatisfy(s -> assertThat(meters.records(s)).as("a meter behind %s", s).isTrue());
    Matcher namespace = NAMESPACE_MATCHER.matcher(query);
    int selectors = 0;
    while (namespace.find()) {
      selectors++;
      assertThat(namespace.group(1))
          .as("%s asks for its own namespace's series", overlay)
          .isEqualTo(rendered.namespace());
    }
    assertThat(selectors)
        .as("every series in the query is limited to the namespace")
        .isEqualTo(asked.size());
    int limit =
        Integer.parseInt(
            workload(rendered, "edit-worker")
                .environment()
                .getOrDefault("EDITFLOW_WORKER_FAL_CONCURRENCY", "0"));
    Matcher clamp = CLAMP.matcher(query.strip());
    if (limit > 0) {
      assertThat(clamp.find()).as("%s caps the query at the fal limit", overlay).isTrue();
      assertThat(Integer.parseInt(clamp.group(1)))
          .as("%s: the cap is the fal limit", overlay)
          .isEqualTo(limit);
    } else {
      assertThat(clamp.find()).as("no fal limit, no cap").isFalse();
    }
    Map<String, Object> queue = trigger(scaledObject, "rabbitmq");
    assertThat(Yamls.string(queue, "metadata", "queueName")).isEqualTo(editRequestedQueue());
    assertSameSecret(rendered, queue, "host", "edit-worker", "SPRING_RABBITMQ_ADDRESSES");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void scalesTheArchiverOnWhatItOwesReadFromTheServicesDatabase(String overlay) {
    Manifests.Rendered rendered = Manifests.overlay(overlay);
    Map<String, Object> trigger =
        trigger(rendered.named("ScaledObject", "result-archiver"), "postgresql");
    Workload archiver = workload(rendered, "result-archiver");
    URI database =
        URI.create(archiver.environment().get("SPRING_DATASOURCE_URL").substring("jdbc:".length()));
    assertThat(Yamls.string(trigger, "metadata", "host")).as(overlay).isEqualTo(database.getHost());
    assertThat(Yamls.string(trigger, "metadata", "port"))
        .as(overlay)
        .isEqualTo(String.valueOf(database.getPort()));
    assertThat(Yamls.string(trigger, "metadata", "dbName"))
        .as(overlay)
        .isEqualTo(database.getPath().substring(1));
    Optional.ofNullable(database.getQuery())
        .flatMap(q -> Stream.of(q.split("&")).filter(p -> p.startsWith("sslmode=")).findFirst())
        .ifPresent(
            p ->
                assertThat(Yamls.string(trigger, "metadata", "sslmode")).isEqualTo(p.substring(8)));
    assertSameSecret(
        rendered, trigger, "userName", "result-archiver", "SPRING_DATASOURCE_USERNAME");
    assertSameSecret(
        rendered, trigger, "password", "result-archiver", "SPRING_DATASOURCE_PASSWORD");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void letsOnlyPrometheusReachActuatorBehindADefaultDeny(String overlay) {
    Manifests.Rendered rendered = Manifests.overlay(overlay);
    assertThat(rendered.ofKind("NetworkPolicy"))
        .as("%s denies all traffic unless allowed", overlay)
        .anySatisfy(
            p -> {
              assertThat(Yamls.mapAt(p, "spec", "podSelector")).isEmpty();
              assertThat(Yamls.list(Yamls.at(p, "spec", "policyTypes")))
                  .contains("Ingress", "Egress");
              assertThat(Yamls.at(p, "spec", "ingress")).isNull();
              assertThat(Yamls.at(p, "spec", "egress")).isNull();
            });
    for (Workload workload : deployments(overlay)) {
      if (!SERVICES.contains(workload.name())) {
        continue;
      }
      Map<String, Object> podLabels =
          Yamls.mapAt(
              rendered.named("Deployment", workload.name()),
              "spec",
              "template",
              "metadata",
              "labels");
      int management =
          portNumber(workload, Yamls.at(workload.container(), "readinessProbe", "httpGet", "port"));
      int reachable = 0;
      for (Map<String, Object> rule : rules(rendered, podLabels, "ingress")) {
        List<Map<String, Object>> ports = Yamls.maps(rule.get("ports"));
        assertThat(ports)
            .as("%s: an ingress rule to %s without ports opens actuator", overlay, workload.name())
            .isNotEmpty();
        if (ports.stream()
            .anyMatch(p -> Objects.equals(portNumber(workload, p.get("port")), management))) {
          reachable++;
          assertThat(Yamls.maps(rule.get("from")))
              .as("%s: who reaches the management port of %s", overlay, workload.name())
              .isNotEmpty()
              .allSatisfy(
                  peer ->
                      assertThat(
                              Yamls.at(
                                  peer, "podSelector", "matchLabels", "app.kubernetes.io/name"))
                          .isEqualTo("prometheus"));
        }
      }
      assertThat(reachable).as("Prometheus reaches %s", workload.name()).isPositive();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void letsTheWorkerTalkOnlyToDnsPostgresTheBrokerAndHttps(String overlay) {
    Manifests.Rendered rendered = Manifests.overlay(overlay);
    Map<String, Object> podLabels =
        Yamls.mapAt(
            rendered.named("Deployment", "edit-worker"), "spec", "template", "metadata", "labels");
    List<Map<String, Object>> egress = rules(rendered, podLabels, "egress");
    assertThat(egress).isNotEmpty();
    for (Map<String, Object> rule : egress) {
      assertThat(Yamls.maps(rule.get("ports")))
          .as("%s: every egress rule of the worker names its ports", overlay)
          .isNotEmpty()
          .allSatisfy(p -> assertThat(WORKER_EGRESS_PORTS).contains((Integer) p.get("port")));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void documentsTheDatabaseConnectionsAtFullScale(String overlay) {
    Manifests.Rendered rendered = Manifests.overlay(overlay);
    int total = 0;
    for (Workload workload : deployments(overlay)) {
      if (!SERVICES.contains(workload.name())) {
        continue;
      }
      int pool =
          Integer.parseInt(
              ServiceSettings.of(REPOSITORY, workload.module())
                  .value("spring.datasource.hikari.maximum-pool-size", workload.environment())
                  .orElse("10"));
      total += pool * maxReplicas(rendered, workload.name());
    }
    int connections = total;
    assertThat(read(REPOSITORY.resolve("deploy/README.md")).lines())
        .as("deploy/README.md states %d connections for %s", connections, overlay)
        .anyMatch(l -> l.contains("`" + overlay + "`") && l.contains("= " + connections + " "));
  }

  @Test
  void documentsEverySecretTheManifestsUse() {
    String readme = read(REPOSITORY.resolve("deploy/README.md"));
    Set<String> secrets = new TreeSet<>();
    for (String overlay : Manifests.overlays()) {
      Manifests.Rendered rendered = Manifests.overlay(overlay);
      for (Workload workload : Workload.in(rendered)) {
        workload.environment().values().stream()
            .filter(v -> v.startsWith("secret:"))
            .forEach(v -> secrets.add(v.substring("secret:".length())));
      }
      for (Map<String, Object> auth : rendered.ofKind("TriggerAuthentication")) {
        for (Map<String, Object> ref : Yamls.maps(Yamls.at(auth, "spec", "secretTargetRef"))) {
          secrets.add(ref.get("name") + "/" + ref.get("key"));
        }
      }
    }
    assertThat(secrets).isNotEmpty();
    assertThat(secrets)
        .allSatisfy(
            secret -> {
              String name = secret.substring(0, secret.indexOf('/'));
              String key = secret.substring(secret.indexOf('/') + 1);
              assertThat(readme.lines())
                  .as("deploy/README.md has a line naming secret %s and its key %s", name, key)
                  .anyMatch(l -> l.contains("`" + name + "`") && l.contains("`" + key + "`"));
            });
  }

  private static List<Workload> deployments(String overlay) {
    return Workload.in(Manifests.overlay(overlay)).stream()
        .filter(w -> w.kind().equals("Deployment"))
        .toList();
  }

  private static Workload workload(Manifests.Rendered rendered, String name) {
    return Workload.in(rendered).stream()
        .filter(w -> w.kind().equals("Deployment") && w.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static int maxReplicas(Manifests.Rendered rendered, String deployment) {
    for (Map<String, Object> hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
      if (deployment.equals(Yamls.stringOrNull(hpa, "spec", "scaleTargetRef", "name"))) {
        return (Integer) Yamls.at(hpa, "spec", "maxReplicas");
      }
    }
    return (Integer)
        Yamls.at(rendered.named("ScaledObject", deployment), "spec", "maxReplicaCount");
  }

  private static Map<String, Object> trigger(Map<String, Object> scaledObject, String type) {
    return Yamls.maps(Yamls.at(scaledObject, "spec", "triggers")).stream()
        .filter(t -> type.equals(t.get("type")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " trigger in " + scaledObject));
  }

  /** A KEDA parameter comes from the same secret key as the service's own variable. */
  private static void assertSameSecret(
      Manifests.Rendered rendered,
      Map<String, Object> trigger,
      String parameter,
      String service,
      String variable) {
    Map<String, Object> auth =
        rendered.named("TriggerAuthentication", Yamls.string(trigger, "authenticationRef", "name"));
    String keda =
        Yamls.maps(Yamls.at(auth, "spec", "secretTargetRef")).stream()
            .filter(r -> parameter.equals(r.get("parameter")))
            .map(r -> "secret:" + r.get("name") + "/" + r.get("key"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("KEDA gets no " + parameter));
    assertThat(keda)
        .as("KEDA's %s and %s's %s", parameter, service, variable)
        .isEqualTo(workload(rendered, service).environment().get(variable));
  }

  /** The ingress or egress rules of every NetworkPolicy that selects pods with these labels. */
  private static List<Map<String, Object>> rules(
      Manifests.Rendered rendered, Map<String, Object> podLabels, String direction) {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> policy : rendered.ofKind("NetworkPolicy")) {
      if (selects(Yamls.mapAt(policy, "spec", "podSelector"), podLabels)) {
        rules.addAll(Yamls.maps(Yamls.at(policy, "spec", direction)));
      }
    }
    return rules;
  }

  /** A label selector (matchLabels, matchExpressions with In / NotIn / Exists) against labels. */
  private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    if (!matchLabels(Yamls.mapAt(selector, "matchLabels"), labels)) {
      return false;
    }
    for (Map<String, Object> expression : Yamls.maps(selector.get("matchExpressions"))) {
      Object value = labels.get(String.valueOf(expression.get("key")));
      List<Object> values = Yamls.list(expression.get("values"));
      boolean matches =
          switch (String.valueOf(expression.get("operator"))) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("operator " + expression.get("operator"));
          };
      if (!matches) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchLabels(Map<String, Object> wanted, Map<String, Object> labels) {
    return wanted.entrySet().stream()
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  /** A port given by number or by the name of a container port. */
  private static Integer portNumber(Workload workload, Object port) {
    if (port instanceof Integer number) {
      return number;
    }
    return workload
        .containerPort(String.valueOf(port))
        .orElseThrow(() -> new AssertionError(workload.name() + " has no container port " + port));
  }

  private static String editRequestedQueue() {
    Matcher constant =
        Pattern.compile("EDIT_REQUESTED_QUEUE = \"([^\"]+)\"")
            .matcher(
                read(
                    REPOSITORY.resolve(
                        "common-model/src/main/java/dev/editflow/model/message/Topology.java")));
    assertThat(constant.find()).isTrue();
    return constant.group(1);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
