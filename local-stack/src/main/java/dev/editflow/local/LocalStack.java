package dev.editflow.local;

import dev.editflow.stack.Infrastructure;
import dev.editflow.stack.ServiceNotStarted;
import dev.editflow.stack.ServiceProcess;
import dev.editflow.stack.StackServices;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts all of editflow on one machine: the embedded infrastructure, then the fal-simulator
 * (unless {@code FAL_KEY} is set), the result-archiver, the edit-worker and the api-gateway as
 * separate processes, each on its usual port. Lives and dies as one: a service that exits is
 * started again, Ctrl-C stops everything, and a watchdog ends everything if the launcher itself is
 * killed. A start that fails says why in one line, stops what it started and exits with status 1.
 */
public final class LocalStack {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  /** Each service's heap; the tests give less, as many of their services share one machine. */
  private static final String MAX_HEAP = "512m";

  private LocalStack() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    LocalSettings settings = LocalSettings.from(System.getenv());
    Running running = new Running();
    Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
    // Qpid and zonky register shutdown hooks of their own and the JVM runs all hooks at once, so
    // on Ctrl-C or SIGTERM the broker and the database would go before the services that use them.
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(
          new Signal(signal),
          received -> {
            running.stop();
            System.exit(0);
          });
    }
    try {
      start(settings, running, started);
    } catch (StartRefused | ServiceNotStarted e) {
      fail(running, e.getMessage());
    } catch (Exception | Error e) {
      fail(running, e.toString());
    }
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void fail(Running running, String reason) {
    LOG.error("editflow did not start: {}", reason);
    running.stop();
    System.exit(1);
  }

  private static void start(LocalSettings settings, Running running, long started)
      throws Exception {
    Path repository = ServiceProcess.repositoryRoot();
    LOG.info("Starting editflow from {} (data in {})...", repository, settings.dataDir());
    running.run = RunDirectory.claim(settings.dataDir());
    List<String> leftovers = running.run.stopLeftovers(settings.dataDir().resolve("postgres"));
    if (!leftovers.isEmpty()) {
      LOG.info("Stopped what an earlier run left running here: {}.", String.join(", ", leftovers));
    }
    running.run.record(ProcessHandle.current(), "launcher");
    ports(settings).checkFree();
    running.watchdog = Watchdog.start();
    running.run.record(running.watchdog.handle(), "watchdog");
    running.supervisor = new Supervisor(running.run, running.watchdog);

    running.infrastructure = EmbeddedInfrastructure.start(settings);
    running
        .infrastructure
        .postgresProcess()
        .ifPresent(
            postmaster -> {
              running.run.record(postmaster, "PostgreSQL");
              running.watchdog.watchDatabase(postmaster);
            });

    Path logs = settings.dataDir().resolve("logs");
    String falUrl = "http://127.0.0.1:" + settings.simulatorPort();
    StackServices services = services(settings, running.infrastructure, repository, logs);
    Supervisor supervisor = running.supervisor;
    if (settings.falKey().isEmpty()) {
      services.simulatedFal(URI.create(falUrl), "local-simulator-key");
      supervisor.start(
          services
              .simulator()
              .withAll(logFormat(settings))
              // Like fal, the simulator keeps requests and outputs when its clients go away.
              .with(
                  "editflow.simulator.state-dir",
                  settings.dataDir().resolve("fal-simulator").toString())
              .with("editflow.simulator.concurrency-limit", settings.falConcurrency())
              .port(settings.simulatorPort())
              .maxHeap(MAX_HEAP)
              .build());
    }
    supervisor.start(
        services
            .archiver("v3.fal.media", "v3b.fal.media", "fal.media", "*.fal.media")
            // The embedded broker keeps messages in memory: after a restart, re-send sooner what
            // it lost.
            .with("editflow.archiver.redrive-after", "1m")
            .with("editflow.archiver.sweep-interval", "15s")
            .port(settings.archiverPort())
            .maxHeap(MAX_HEAP)
            .build());
    supervisor.start(
        services
            .worker()
            .with("editflow.worker.requeue-after", "30s")
            // As in production: the backlog waits with us, fairly shared, not in fal's queue.
            .with("editflow.worker.fal-concurrency", settings.falConcurrency())
            .port(settings.workerPort())
            .maxHeap(MAX_HEAP)
            .build());
    supervisor.start(
        services
            .gateway()
            .with(
                "editflow.gateway.cors.allowed-origins",
                String.join(",", settings.frontendOrigins()))
            .port(settings.gatewayPort())
            .maxHeap(MAX_HEAP)
            .build());
    supervisor.awaitHealthy(started);
    supervisor.superviseFromNow();

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        """

        editflow is ready in %.1f s (data in %s, logs in %s)
          demo         http://localhost:%d/demo/
          API          http://localhost:%d/v1   Swagger UI http://localhost:%d/swagger-ui.html
          metrics      http://localhost:%d/actuator/prometheus (gateway), :%d (worker), :%d (archiver)
          fal          %s
          try          curl -s -X POST localhost:%d/v1/dev/tokens -H 'Content-Type: application/json' -d '{"user":"alice"}'
        Ctrl-C stops everything.
        %n""",
        took.toMillis() / 1000.0,
        settings.dataDir(),
        logs,
        settings.gatewayPort(),
        settings.gatewayPort(),
        settings.gatewayPort(),
        settings.gatewayPort(),
        settings.workerPort(),
        settings.archiverPort(),
        settings.falKey().isPresent()
            ? "real fal (FAL_KEY is set)"
            : "fal-simulator " + falUrl + " (admin: " + falUrl + "/_sim/settings)",
        settings.gatewayPort());
  }

  /** Every port the stack will listen on, with what listens there and how to move it. */
  private static Ports ports(LocalSettings settings) {
    Ports ports = new Ports();
    if (settings.externalDatabaseUrl().isEmpty()) {
      ports.want(settings.postgresPort(), "PostgreSQL", "EDITFLOW_POSTGRES_PORT");
    }
    if (settings.externalS3Endpoint().isEmpty()) {
      ports.want(settings.s3Port(), "S3", "EDITFLOW_S3_PORT");
    }
    if (settings.externalRabbitHost().isEmpty()) {
      ports.want(settings.amqpPort(), "AMQP broker", "EDITFLOW_AMQP_PORT");
    }
    if (settings.falKey().isEmpty()) {
      ports.want(settings.simulatorPort(), "fal-simulator", "EDITFLOW_SIMULATOR_PORT");
    }
    return ports
        .want(settings.archiverPort(), "result-archiver", "EDITFLOW_ARCHIVER_PORT")
        .want(settings.workerPort(), "edit-worker", "EDITFLOW_WORKER_PORT")
        .want(settings.gatewayPort(), "api-gateway", "EDITFLOW_GATEWAY_PORT");
  }

  private static StackServices services(
      LocalSettings settings, EmbeddedInfrastructure infrastructure, Path repository, Path logs) {
    StackServices services =
        new StackServices(
                new Infrastructure(
                    settings.externalDatabaseUrl().orElseGet(infrastructure::jdbcUrl),
                    System.getenv().getOrDefault("EDITFLOW_DB_USER", "postgres"),
                    System.getenv().getOrDefault("EDITFLOW_DB_PASSWORD", ""),
                    settings.externalRabbitHost().orElse("127.0.0.1"),
                    settings.externalRabbitHost().isPresent()
                        ? settings.externalRabbitPort()
                        : settings.amqpPort(),
                    null,
                    settings.externalS3Endpoint().orElse("http://127.0.0.1:" + settings.s3Port()),
                    settings.s3AccessKey(),
                    settings.s3SecretKey(),
                    LocalSettings.BUCKET))
            .repository(repository)
            .logs(logs)
            // A developer's webhook receiver usually runs on their own machine, over plain http.
            // The gateway and the archiver read the same settings: what one accepts, the other
            // sends to.
            .with("editflow.webhooks.allow-http", true)
            .with("editflow.webhooks.allow-loopback", true)
            .withAll(logFormat(settings));
    if (settings.externalRabbitHost().isEmpty()) {
      // The embedded broker has no quorum queues, dead-lettering or TTL.
      services.with("editflow.messaging.rabbitmq-features", false);
    }
    return services;
  }

  /** JSON lines (ECS) when asked for with EDITFLOW_LOG_FORMAT=json; Boot's readable lines else. */
  private static Map<String, String> logFormat(LocalSettings settings) {
    return settings.jsonLogs() ? Map.of("logging.structured.format.console", "ecs") : Map.of();
  }

  /** What this launcher started, stopped in reverse order, once. */
  private static final class Running {
    private final AtomicBoolean stopped = new AtomicBoolean();
    volatile RunDirectory run;
    volatile Watchdog watchdog;
    volatile Supervisor supervisor;
    volatile EmbeddedInfrastructure infrastructure;

    void stop() {
      if (!stopped.compareAndSet(false, true) || run == null) {
        return;
      }
      boolean started = supervisor != null;
      if (started) {
        LOG.info("Stopping editflow...");
        supervisor.stopAll();
      }
      if (infrastructure != null) {
        infrastructure.close();
      }
      if (watchdog != null) {
        watchdog.close();
      }
      run.close();
      if (started) {
        LOG.info("Stopped.");
      }
    }
  }
}
