package dev.editflow.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
    } catch (StartRefused e) {
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
    Path repository = repositoryRoot();
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
    Map<String, String> common = common(settings, running.infrastructure);
    String falUrl = "http://127.0.0.1:" + settings.simulatorPort();
    Supervisor supervisor = running.supervisor;
    if (settings.falKey().isEmpty()) {
      // Like fal, the simulator keeps requests and outputs when its clients go away.
      Map<String, String> simulator = new LinkedHashMap<>(logFormat(settings));
      simulator.put(
          "editflow.simulator.state-dir", settings.dataDir().resolve("fal-simulator").toString());
      simulator.put(
          "editflow.simulator.concurrency-limit", String.valueOf(settings.falConcurrency()));
      supervisor.start(
          ChildService.of(repository, logs, "fal-simulator", settings.simulatorPort(), simulator));
    }
    Map<String, String> archiver = new LinkedHashMap<>(common);
    archiver.put(
        "editflow.archiver.media.allowed-hosts",
        "v3.fal.media,v3b.fal.media,fal.media,*.fal.media,127.0.0.1:" + settings.simulatorPort());
    archiver.put("editflow.archiver.media.allow-http", "true");
    archiver.put("editflow.archiver.media.allow-loopback", "true");
    // The embedded broker keeps messages in memory: after a restart, re-send sooner what it lost.
    archiver.put("editflow.archiver.redrive-after", "1m");
    archiver.put("editflow.archiver.sweep-interval", "15s");
    supervisor.start(
        ChildService.of(repository, logs, "result-archiver", settings.archiverPort(), archiver));
    Map<String, String> worker = new LinkedHashMap<>(common);
    worker.put("editflow.worker.requeue-after", "30s");
    // As in production: the backlog waits with us, fairly shared, not in fal's queue.
    worker.put("editflow.worker.fal-concurrency", String.valueOf(settings.falConcurrency()));
    if (settings.falKey().isEmpty()) {
      worker.put("editflow.fal.base-url", falUrl);
      worker.put("editflow.fal.key", "local-simulator-key");
    }
    supervisor.start(
        ChildService.of(repository, logs, "edit-worker", settings.workerPort(), worker));
    Map<String, String> gateway = new LinkedHashMap<>(common);
    gateway.put("spring.profiles.active", "local");
    gateway.put(
        "editflow.gateway.cors.allowed-origins", String.join(",", settings.frontendOrigins()));
    supervisor.start(
        ChildService.of(repository, logs, "api-gateway", settings.gatewayPort(), gateway));
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

  private static Map<String, String> common(
      LocalSettings settings, EmbeddedInfrastructure infrastructure) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(
        "spring.datasource.url", settings.externalDatabaseUrl().orElseGet(infrastructure::jdbcUrl));
    properties.put(
        "spring.datasource.username", System.getenv().getOrDefault("EDITFLOW_DB_USER", "postgres"));
    properties.put(
        "spring.datasource.password", System.getenv().getOrDefault("EDITFLOW_DB_PASSWORD", ""));
    if (settings.externalRabbitHost().isPresent()) {
      properties.put("spring.rabbitmq.host", settings.externalRabbitHost().get());
      properties.put("spring.rabbitmq.port", String.valueOf(settings.externalRabbitPort()));
    } else {
      properties.put("spring.rabbitmq.host", "127.0.0.1");
      properties.put("spring.rabbitmq.port", String.valueOf(settings.amqpPort()));
      // The embedded broker has no quorum queues, dead-lettering or TTL.
      properties.put("editflow.messaging.rabbitmq-features", "false");
    }
    properties.put(
        "editflow.s3.endpoint",
        settings.externalS3Endpoint().orElse("http://127.0.0.1:" + settings.s3Port()));
    properties.put("editflow.s3.access-key", settings.s3AccessKey());
    properties.put("editflow.s3.secret-key", settings.s3SecretKey());
    properties.put("editflow.s3.bucket", LocalSettings.BUCKET);
    // A developer's webhook receiver usually runs on their own machine, over plain http. The
    // gateway and the archiver read the same settings: what one accepts, the other sends to.
    properties.put("editflow.webhooks.allow-http", "true");
    properties.put("editflow.webhooks.allow-loopback", "true");
    properties.putAll(logFormat(settings));
    return properties;
  }

  /** JSON lines (ECS) when asked for with EDITFLOW_LOG_FORMAT=json; Boot's readable lines else. */
  private static Map<String, String> logFormat(LocalSettings settings) {
    return settings.jsonLogs() ? Map.of("logging.structured.format.console", "ecs") : Map.of();
  }

  /** The checkout the jars were built in: {@code EDITFLOW_HOME}, or found upwards from here. */
  static Path repositoryRoot() {
    String home = System.getenv("EDITFLOW_HOME");
    Path dir = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("api-gateway"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new StartRefused("run the local stack from the editflow checkout (or set EDITFLOW_HOME)");
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
