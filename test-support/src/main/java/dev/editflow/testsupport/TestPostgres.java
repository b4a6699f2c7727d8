package dev.editflow.testsupport;

import dev.editflow.stack.UnitTier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL database of its own for this test JVM: a Testcontainers PostgreSQL when Docker is
 * available, otherwise a fresh database on the machine's server ({@code EDITFLOW_TEST_PG_URL},
 * default {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code postgres}), so builds
 * running side by side never see each other's jobs.
 */
public final class TestPostgres {

  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);

  private final String jdbcUrl;
  private final String username;
  private final String password;

  private TestPostgres(String jdbcUrl, String username, String password) {
    this.jdbcUrl = jdbcUrl;
    this.username = username;
    this.password = password;
  }

  private static final class Holder {
    static final TestPostgres INSTANCE = start();
  }

  /** The database of this JVM, started or created on first use. */
  public static TestPostgres get() {
    return Holder.INSTANCE;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  /** Registers {@code spring.datasource.*} for this database. */
  public void register(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", this::jdbcUrl);
    registry.add("spring.datasource.username", this::username);
    registry.add("spring.datasource.password", this::password);
  }

  private static TestPostgres start() {
    UnitTier.refuse("PostgreSQL");
    if (Docker.available()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
      container.start();
      return new TestPostgres(
          container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
    String adminUrl =
        System.getenv()
            .getOrDefault("EDITFLOW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String user = System.getenv().getOrDefault("EDITFLOW_TEST_PG_USER", "postgres");
    String password = System.getenv().getOrDefault("EDITFLOW_TEST_PG_PASSWORD", "");
    String database =
        "editflow_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("create database " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "No Docker engine and no PostgreSQL at "
              + adminUrl
              + " (set EDITFLOW_TEST_PG_URL, or start it: "
              + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)",
          e);
    }
    LOG.info("No Docker engine; tests use database {} on the local PostgreSQL server.", database);
    String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
    Teardown.atExit(() -> drop(adminUrl, user, password, database));
    return new TestPostgres(url, user, password);
  }

  private static void drop(String adminUrl, String user, String password, String database) {
    try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("drop database if exists " + database + " with (force)");
    } catch (SQLException e) {
      LOG.warn("Could not drop test database {}: {}", database, e.getMessage());
    }
  }
}
