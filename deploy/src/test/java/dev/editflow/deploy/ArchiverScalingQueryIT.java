package dev.editflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query KEDA scales the archiver with, run as rendered against the real schema (the job store's
 * migrations in a schema of its own): it counts what an archiver owes and nothing else, which is
 * what makes scaling the archiver to zero safe.
 */
class ArchiverScalingQueryIT {

  private final String schema = "keda_" + UUID.randomUUID().toString().substring(0, 8);
  private final String query = theArchiverQueryOfEveryOverlay();

  @BeforeEach
  void migrateASchemaOfItsOwn() {
    TestPostgres postgres = TestPostgres.get();
    Flyway.configure()
        .dataSource(postgres.jdbcUrl(), postgres.username(), postgres.password())
        .schemas(schema)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  @AfterEach
  void dropTheSchema() throws SQLException {
    execute("drop schema if exists " + schema + " cascade");
  }

  @Test
  void countsJobsArchivingAndWebhooksDueButNothingElse() throws SQLException {
    assertThat(owed()).as("an idle system owes nothing: the archiver may scale to zero").isZero();

    job("ed_archiving", "ARCHIVING");
    job("ed_in_progress", "IN_PROGRESS");
    job("ed_succeeded", "SUCCEEDED");
    webhook("msg_due", "ed_succeeded", "PENDING", "now() - interval '1 second'");
    webhook("msg_later", "ed_succeeded", "PENDING", "now() + interval '5 hours'");
    webhook("msg_delivered", "ed_succeeded", "DELIVERED", "null");

    assertThat(owed()).as("one job to archive, one webhook due").isEqualTo(2);
  }

  private static String theArchiverQueryOfEveryOverlay() {
    Set<String> queries = new TreeSet<>();
    for (String overlay : Manifests.overlays()) {
      Map<String, Object> scaledObject =
          Manifests.overlay(overlay).named("ScaledObject", "result-archiver");
      for (Map<String, Object> trigger : Yamls.maps(Yamls.at(scaledObject, "spec", "triggers"))) {
        if ("postgresql".equals(trigger.get("type"))) {
          queries.add(Yamls.string(trigger, "metadata", "query"));
        }
      }
    }
    assertThat(queries).as("every overlay scales the archiver with one query").hasSize(1);
    return queries.iterator().next();
  }

  private long owed() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("set search_path to " + schema);
      try (ResultSet result = statement.executeQuery(query)) {
        assertThat(result.next()).isTrue();
        long value = result.getLong(1);
        assertThat(result.next()).as("KEDA reads a single value").isFalse();
        return value;
      }
    }
  }

  private void job(String id, String status) throws SQLException {
    execute(
        """
        insert into %s.edit_job (id, owner_id, status, prompt, model, parameters, inputs,
            estimated_cost_usd, deadline_at, created_at, updated_at)
        values ('%s', 'alice', '%s', 'p', 'm', '{}', '[]', 0.1, now(), now(), now())
        """
            .formatted(schema, id, status));
  }

  private void webhook(String id, String job, String status, String nextAttempt)
      throws SQLException {
    execute(
        """
        insert into %s.webhook_delivery (id, job_id, owner_id, url, event_type, status,
            next_attempt_at, created_at)
        values ('%s', '%s', 'alice', 'https://example.com/hook', 'edit.succeeded', '%s', %s, now())
        """
            .formatted(schema, id, job, status, nextAttempt));
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Connection connect() throws SQLException {
    TestPostgres postgres = TestPostgres.get();
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }
}
