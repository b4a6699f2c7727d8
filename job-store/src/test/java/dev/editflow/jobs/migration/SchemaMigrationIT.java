package dev.editflow.jobs.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.editflow.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Migrations run once per rollout: a service told not to apply them waits for {@link
 * SchemaMigration} and starts once it ran, or gives up naming what is missing. Each test gets an
 * empty schema of its own in the test database.
 */
class SchemaMigrationIT {

  private final String schema = "migration_" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  @AfterEach
  void closeContextsAndDropSchema() throws SQLException {
    contexts.forEach(ConfigurableApplicationContext::close);
    try (Connection connection = connect()) {
      connection.createStatement().execute("drop schema if exists " + schema + " cascade");
    }
  }

  @Test
  void servicesApplyMigrationsOnStartupByDefault() throws SQLException {
    startService();

    assertThat(tableExists("edit_job")).isTrue();
  }

  @Test
  void aServiceThatDoesNotMigrateWaitsForTheSchemaMigrationAndStartsAfterIt() throws SQLException {
    CompletableFuture<ConfigurableApplicationContext> service =
        CompletableFuture.supplyAsync(
            () ->
                startService(
                    "--editflow.migrations.apply-on-startup=false",
                    "--editflow.migrations.await-timeout=60s",
                    "--editflow.migrations.await-interval=100ms"));

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !service.isDone());
    assertThat(tableExists("flyway_schema_history")).isFalse();

    contexts.add(SchemaMigration.run(datasourceArguments()));

    await().atMost(Duration.ofSeconds(30)).until(service::isDone);
    assertThat(service).isCompleted();
    assertThat(tableExists("edit_job")).isTrue();
  }

  @Test
  void aServiceThatDoesNotMigrateGivesUpNamingTheMissingMigrations() throws SQLException {
    assertThatThrownBy(
            () ->
                startService(
                    "--editflow.migrations.apply-on-startup=false",
                    "--editflow.migrations.await-timeout=300ms",
                    "--editflow.migrations.await-interval=100ms"))
        .rootCause()
        .hasMessageContaining("V1")
        .hasMessageContaining("SchemaMigration");
    assertThat(tableExists("flyway_schema_history")).isFalse();
  }

  private ConfigurableApplicationContext startService(String... settings) {
    List<String> arguments = new ArrayList<>(List.of(datasourceArguments()));
    arguments.addAll(List.of(settings));
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ServiceSchema.class)
            .web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    synchronized (contexts) {
      contexts.add(context);
    }
    return context;
  }

  private String[] datasourceArguments() {
    TestPostgres postgres = TestPostgres.get();
    return new String[] {
      "--spring.datasource.url=" + postgres.jdbcUrl() + "?currentSchema=" + schema,
      "--spring.datasource.username=" + postgres.username(),
      "--spring.datasource.password=" + postgres.password(),
      "--spring.flyway.schemas=" + schema
    };
  }

  private boolean tableExists(String table) throws SQLException {
    try (Connection connection = connect();
        ResultSet result =
            connection
                .createStatement()
                .executeQuery("select to_regclass('" + schema + "." + table + "') is not null")) {
      result.next();
      return result.getBoolean(1);
    }
  }

  private static Connection connect() throws SQLException {
    TestPostgres postgres = TestPostgres.get();
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  /** The part of a service that touches the schema: data source, Flyway and our strategy. */
  @SpringBootConfiguration
  @ImportAutoConfiguration({DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
  @Import(MigrationConfiguration.class)
  static class ServiceSchema {}
}
