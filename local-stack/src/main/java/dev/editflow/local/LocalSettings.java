package dev.editflow.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's settings, from environment variables (or {@code -D} system properties of the
 * same name). Every embedded part can be replaced by the real thing.
 *
 * @param dataDir where PostgreSQL, S3 and the logs keep their data across restarts
 * @param externalDatabaseUrl a JDBC URL to use instead of the embedded PostgreSQL
 * @param externalRabbitHost a RabbitMQ host to use instead of the embedded broker
 * @param externalS3Endpoint an S3 endpoint to use instead of the embedded one
 * @param falKey a real fal key: talk to real fal instead of starting the simulator
 * @param falConcurrency the fal account's concurrency limit: the simulator's account runs this many
 *     requests at once and the worker keeps to it, so the backlog waits (fairly shared) with us as
 *     in production; 2 is a new fal account
 * @param frontendOrigins browser origins allowed to call the API and to PUT uploads to and GET
 *     outputs from the embedded S3 (CORS): the demo at the gateway, and Vite's dev server
 * @param jsonLogs {@code EDITFLOW_LOG_FORMAT=json}: the services write JSON lines (Elastic Common
 *     Schema, with traceId, spanId and jobId) to {@code <dataDir>/logs/<service>.log} instead of
 *     human-readable lines
 */
record LocalSettings(
    Path dataDir,
    int postgresPort,
    int s3Port,
    int amqpPort,
    int gatewayPort,
    int workerPort,
    int archiverPort,
    int simulatorPort,
    Optional<String> externalDatabaseUrl,
    Optional<String> externalRabbitHost,
    int externalRabbitPort,
    Optional<String> externalS3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    Optional<String> falKey,
    int falConcurrency,
    List<String> frontendOrigins,
    boolean jsonLogs) {

  static final String BUCKET = "editflow";

  static LocalSettings from(Map<String, String> env) {
    int gatewayPort = port(env, "EDITFLOW_GATEWAY_PORT", 8080);
    return new LocalSettings(
        Path.of(get(env, "EDITFLOW_DATA_DIR").orElse(".editflow-data")).toAbsolutePath(),
        port(env, "EDITFLOW_POSTGRES_PORT", 15432),
        port(env, "EDITFLOW_S3_PORT", 9000),
        port(env, "EDITFLOW_AMQP_PORT", 5673),
        gatewayPort,
        port(env, "EDITFLOW_WORKER_PORT", 8081),
        port(env, "EDITFLOW_ARCHIVER_PORT", 8082),
        port(env, "EDITFLOW_SIMULATOR_PORT", 8090),
        get(env, "EDITFLOW_DB_URL"),
        get(env, "EDITFLOW_RABBITMQ_HOST"),
        port(env, "EDITFLOW_RABBITMQ_PORT", 5672),
        get(env, "EDITFLOW_S3_ENDPOINT"),
        get(env, "EDITFLOW_S3_ACCESS_KEY").orElse("editflow-local"),
        get(env, "EDITFLOW_S3_SECRET_KEY").orElse("editflow-local-secret"),
        get(env, "FAL_KEY"),
        falConcurrency(get(env, "EDITFLOW_FAL_CONCURRENCY").orElse("2")),
        get(env, "EDITFLOW_FRONTEND_ORIGINS")
            .map(origins -> List.of(origins.split("\\s*,\\s*")))
            .orElse(
                List.of(
                    "http://localhost:" + gatewayPort,
                    "http://127.0.0.1:" + gatewayPort,
                    "http://localhost:5173")),
        jsonLogs(get(env, "EDITFLOW_LOG_FORMAT").orElse("text")));
  }

  private static boolean jsonLogs(String format) {
    return switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "json" -> true;
      case "text" -> false;
      default ->
          throw new IllegalArgumentException(
              "EDITFLOW_LOG_FORMAT must be text (the default) or json, not " + format);
    };
  }

  private static int falConcurrency(String value) {
    int concurrency = Integer.parseInt(value);
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "EDITFLOW_FAL_CONCURRENCY must be at least 1, not " + concurrency);
    }
    return concurrency;
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    String value = System.getProperty(name, env.get(name));
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    return get(env, name).map(Integer::parseInt).orElse(fallback);
  }

  @Override
  public String toString() {
    return "LocalSettings[dataDir="
        + dataDir
        + ", realFal="
        + falKey.isPresent()
        + ", jsonLogs="
        + jsonLogs
        + "]";
  }
}
