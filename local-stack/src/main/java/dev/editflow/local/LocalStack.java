package dev.editflow.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts all of editflow on one machine: the embedded infrastructure, then the fal-simulator
 * (unless {@code FAL_KEY} is set), the result-archiver, the edit-worker and the api-gateway as
 * separate processes, each on its usual port. Stops everything on Ctrl-C.
 */
public final class LocalStack {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private LocalStack() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    LocalSettings settings = LocalSettings.from(System.getenv());
    Path repository = repositoryRoot();
    EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(settings);
    List<ChildService> children = new CopyOnWriteArrayList<>();
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stopAll =
        () -> {
          if (stopping.compareAndSet(false, true)) {
            LOG.info("Stopping editflow...");
            children.reversed().forEach(ChildService::stop);
            infrastructure.close();
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stopAll));
    // Qpid and zonky register shutdown hooks of their own and the JVM runs all hooks at once, so
    // on Ctrl-C or SIGTERM the broker and the database would go before the services that use them.
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(
          new Signal(signal),
          received -> {
            stopAll.run();
            System.exit(0);
          });
    }

    Map<String, String> common = common(settings, infrastructure);
    Path logs = settings.dataDir().resolve("logs");
    String falUrl = "http://127.0.0.1:" + settings.simulatorPort();
    if (settings.falKey().isEmpty()) {
      children.add(
          ChildService.start(
              repository, logs, "fal-simulator", settings.simulatorPort(), logFormat(settings)));
    }
    Map<String, String> archiver = new LinkedHashMap<>(common);
    archiver.put(
        "editflow.archiver.media.allowed-hosts",
        "v3.fal.media,v3b.fal.media,fal.media,*.fal.media,127.0.0.1:" + settings.simulatorPort());
    archiver.put("editflow.archiver.media.allow-http", "true");
    archiver.put("editflow.archiver.media.allow-loopback", "true");
    // A developer's webhook receiver usually runs on their own machine, over plain http.
    archiver.put("editflow.webhooks.allow-http", "true");
    archiver.put("editflow.webhooks.allow-loopback", "true");
    children.add(
        ChildService.start(repository, logs, "result-archiver", settings.archiverPort(), archiver));
    Map<String, String> worker = new LinkedHashMap<>(common);
    if (settings.falKey().isEmpty()) {
      worker.put("editflow.fal.base-url", falUrl);
      worker.put("editflow.fal.key", "local-simulator-key");
    }
    children.add(
        ChildService.start(repository, logs, "edit-worker", settings.workerPort(), worker));
    Map<String, String> gateway = new LinkedHashMap<>(common);
    gateway.put("spring.profiles.active", "local");
    gateway.put("editflow.gateway.client-webhooks.allow-http", "true");
    children.add(
        ChildService.start(repository, logs, "api-gateway", settings.gatewayPort(), gateway));
    for (ChildService child : children) {
      child.awaitHealthy(START_TIMEOUT);
    }

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        """

        editflow is ready in %.1f s (data in %s, logs in %s)
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
        settings.workerPort(),
        settings.archiverPort(),
        settings.falKey().isPresent()
            ? "real fal (FAL_KEY is set)"
            : "fal-simulator " + falUrl + " (admin: " + falUrl + "/_sim/settings)",
        settings.gatewayPort());
    Thread.currentThread().join();
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
    throw new IllegalStateException(
        "Run the local stack from the editflow checkout (or set EDITFLOW_HOME)");
  }
}
