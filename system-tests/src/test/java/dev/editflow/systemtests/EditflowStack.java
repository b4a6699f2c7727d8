package dev.editflow.systemtests;

import dev.editflow.stack.Infrastructure;
import dev.editflow.stack.ServiceProcess;
import dev.editflow.stack.StackServices;
import dev.editflow.testsupport.Teardown;
import dev.editflow.testsupport.TestInfrastructure;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * The whole of editflow as in production: the fal-simulator, api-gateway, edit-worker and
 * result-archiver jars as separate processes over real PostgreSQL and RabbitMQ (own database and
 * vhost) and a real S3 endpoint. Started once per test JVM and shared by the system tests.
 */
final class EditflowStack {

  /**
   * The fal account's concurrency limit all workers share, as on a real account ({@code
   * -Dfal-concurrency=N}; the full chaos run uses a bigger account).
   */
  static final int FAL_CONCURRENCY = Integer.getInteger("fal-concurrency", 6);

  static final String JWT_SECRET = "system-tests-secret-0123456789abcdef0123456789";

  /** Generous: on a busy build machine a service may take a minute and a half to start. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(300);

  final ServiceProcess simulator;
  final ServiceProcess gateway;
  final List<ServiceProcess> workers = new ArrayList<>();
  final List<ServiceProcess> archivers = new ArrayList<>();
  private final StackServices services;

  private EditflowStack() {
    // Teardown runs in reverse order: the services stop before their database and vhost go, and
    // a service that fails to start does not leave the others running.
    Infrastructure infrastructure = TestInfrastructure.get();
    OtlpReceiver.get();
    Teardown.atExit(this::stopAll);
    services =
        new StackServices(infrastructure)
            // Several services share one test server (100 connections by default).
            .with("spring.datasource.hikari.maximum-pool-size", 6)
            // As in production: JSON log lines, spans exported over OTLP (to the tests' receiver).
            .with("logging.structured.format.console", "ecs")
            .with(
                "management.opentelemetry.tracing.export.otlp.endpoint",
                OtlpReceiver.get().tracesEndpoint())
            .with("management.opentelemetry.tracing.export.schedule-delay", "200ms")
            // The tests' webhook receivers listen on loopback, over plain http.
            .with("editflow.webhooks.allow-http", true)
            .with("editflow.webhooks.allow-loopback", true);
    simulator =
        services
            .simulator()
            .with("editflow.simulator.timing.queue-wait-min", "50ms")
            .with("editflow.simulator.timing.queue-wait-max", "150ms")
            .with("editflow.simulator.timing.processing-min", "100ms")
            .with("editflow.simulator.timing.processing-max", "300ms")
            .with("editflow.simulator.output.long-side", 256)
            .with("editflow.simulator.concurrency-limit", 40)
            .build()
            .start(START_TIMEOUT);
    services.simulatedFal(simulator.baseUri(), "system-tests-fal-key");
    gateway = startGateway(UnaryOperator.identity());
    workers.add(startWorker(UnaryOperator.identity()));
    archivers.add(startArchiver());
  }

  private static final class Holder {
    static final EditflowStack INSTANCE = new EditflowStack();
  }

  static EditflowStack get() {
    return Holder.INSTANCE;
  }

  /** An api-gateway instance; the stack has one, a test may start more beside it. */
  ServiceProcess startGateway(UnaryOperator<ServiceProcess.Builder> customizer) {
    return customizer
        .apply(
            services
                .gateway()
                .with("editflow.gateway.auth.hmac-secret", JWT_SECRET)
                // The chaos run's users send hundreds of jobs; the limits have their own tests.
                .with("editflow.gateway.limits.max-active-jobs", 1_000)
                .with("editflow.gateway.limits.daily-images", 100_000)
                .with("editflow.gateway.limits.daily-budget-usd", 100_000))
        .build()
        .start(START_TIMEOUT);
  }

  ServiceProcess startWorker(UnaryOperator<ServiceProcess.Builder> customizer) {
    return customizer
        .apply(services.worker().with("editflow.worker.fal-concurrency", FAL_CONCURRENCY))
        .build()
        .start(START_TIMEOUT);
  }

  ServiceProcess startArchiver() {
    return services.archiver().build().start(START_TIMEOUT);
  }

  /**
   * Changes some of the simulator's live settings until the returned handle is closed, which puts
   * back every setting as it was before, so a test leaves the shared simulator as it found it.
   */
  SimulatorChange changeSimulator(Map<String, Object> patch) {
    JsonNode before =
        EditflowApi.send(
                HttpRequest.newBuilder(simulator.baseUri().resolve("/_sim/settings")).build())
            .json();
    configureSimulator(patch);
    return () -> configureSimulator(before);
  }

  /** Simulator settings changed by {@link #changeSimulator}; closing restores the earlier ones. */
  interface SimulatorChange extends AutoCloseable {
    @Override
    void close();
  }

  /** Changes the simulator's live settings (timing, injected faults) through its admin API. */
  void configureSimulator(Object settings) {
    EditflowApi.Response response =
        EditflowApi.send(
            HttpRequest.newBuilder(simulator.baseUri().resolve("/_sim/settings"))
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        EditflowApi.JSON.writeValueAsString(settings)))
                .build());
    if (response.status() >= 300) {
      throw new IllegalStateException("simulator settings: " + response);
    }
  }

  /**
   * Every service process of the stack, by a stable name (worker-1 stays worker-1 when replaced).
   */
  Map<String, ServiceProcess> processesByName() {
    Map<String, ServiceProcess> processes = new LinkedHashMap<>();
    processes.put("gateway", gateway);
    processes.put("simulator", simulator);
    for (int i = 0; i < workers.size(); i++) {
      processes.put("worker-" + (i + 1), workers.get(i));
    }
    for (int i = 0; i < archivers.size(); i++) {
      processes.put("archiver-" + (i + 1), archivers.get(i));
    }
    return processes;
  }

  private void stopAll() {
    List<ServiceProcess> all = new ArrayList<>(workers);
    all.addAll(archivers);
    all.add(gateway);
    all.add(simulator);
    all.removeIf(java.util.Objects::isNull);
    ServiceProcess.stopAll(all, ServiceProcess.GRACE);
  }
}
