package dev.editflow.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.qpid.server.SystemLauncher;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL (zonky, PostgreSQL 17 binaries), S3 (S3Proxy on the file system, signatures enforced)
 * and an AMQP 0-9-1 broker (Qpid Broker-J), in this JVM. PostgreSQL and S3 keep their data under
 * the data directory; the broker keeps messages in memory, which loses nothing that matters: the
 * job store is the source of truth and the sweepers re-drive what a restart dropped.
 */
final class EmbeddedInfrastructure implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private EmbeddedPostgres postgres;
  private S3Proxy s3;
  private SystemLauncher broker;
  private final Path dataDir;

  private EmbeddedInfrastructure(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Starts the parts that {@code settings} does not point elsewhere. */
  static EmbeddedInfrastructure start(LocalSettings settings) throws Exception {
    EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(settings.dataDir());
    Files.createDirectories(settings.dataDir());
    try {
      if (settings.externalDatabaseUrl().isEmpty()) {
        infrastructure.startPostgres(settings.postgresPort());
      }
      if (settings.externalS3Endpoint().isEmpty()) {
        infrastructure.startS3(settings);
      }
      if (settings.externalRabbitHost().isEmpty()) {
        infrastructure.startBroker(settings.amqpPort());
      }
    } catch (Exception e) {
      infrastructure.close();
      throw e;
    }
    return infrastructure;
  }

  private void startPostgres(int port) throws IOException {
    Path dir = dataDir.resolve("postgres");
    Files.createDirectories(dir);
    postgres =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .start();
    LOG.info("PostgreSQL is up on port {} (data in {}).", port, dir);
  }

  private void startS3(LocalSettings settings) throws Exception {
    Path dir = dataDir.resolve("s3");
    Files.createDirectories(dir.resolve(LocalSettings.BUCKET));
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    BlobStore store = BlobStores.create("filesystem-nio2", properties);
    s3 =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + settings.s3Port()))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, settings.s3AccessKey(), settings.s3SecretKey())
            .build();
    s3.start();
    while (!"STARTED".equals(s3.getState())) {
      Thread.sleep(10);
    }
    LOG.info(
        "S3 is up on port {} (bucket '{}' in {}).", settings.s3Port(), LocalSettings.BUCKET, dir);
  }

  private void startBroker(int port) throws Exception {
    Path work = dataDir.resolve("qpid");
    Files.createDirectories(work);
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("type", "Memory");
    attributes.put(
        "initialConfigurationLocation",
        EmbeddedInfrastructure.class.getResource("/qpid-config.json").toExternalForm());
    attributes.put("startupLoggedToSystemOut", false);
    attributes.put(
        "context",
        Map.of(
            "qpid.amqp_port", String.valueOf(port),
            "qpid.work_dir", work.toString(),
            "qpid.home_dir", work.toString(),
            // Services starting together on a small machine can take longer than the default 2 s
            // to send the AMQP header; the broker would drop them as a possible attack.
            "qpid.port.protocol_handshake_timeout", "30000"));
    // Qpid's default "classpath:system.properties" cannot be resolved inside a Boot fat jar.
    Path systemProperties = work.resolve("system.properties");
    if (!Files.exists(systemProperties)) {
      Files.createFile(systemProperties);
    }
    attributes.put("initialSystemPropertiesLocation", systemProperties.toUri().toString());
    broker = new SystemLauncher();
    broker.startup(attributes);
    LOG.info("AMQP broker is up on port {}.", port);
  }

  /** The embedded PostgreSQL's postmaster, if this stack runs one. */
  java.util.Optional<ProcessHandle> postgresProcess() {
    return postgres == null
        ? java.util.Optional.empty()
        : RunDirectory.postmaster(dataDir.resolve("postgres"));
  }

  /** A JDBC URL of the embedded PostgreSQL's {@code postgres} database. */
  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  public void close() {
    if (broker != null) {
      broker.shutdown();
    }
    if (s3 != null) {
      try {
        s3.stop();
      } catch (Exception e) {
        LOG.warn("S3 did not stop cleanly: {}", e.toString());
      }
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        LOG.warn("PostgreSQL did not stop cleanly: {}", e.toString());
      }
    }
  }
}
