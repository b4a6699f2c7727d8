package dev.editflow.jobs.migration;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Applies pending migrations, or waits until someone else has applied them and then validates that
 * the schema is the one this code expects. A schema newer than the code (migrations applied for the
 * next version during its rollout) is accepted: migrations only ever add.
 */
class ApplyOrAwaitMigrations implements FlywayMigrationStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(ApplyOrAwaitMigrations.class);

  private final MigrationSettings settings;

  ApplyOrAwaitMigrations(MigrationSettings settings) {
    this.settings = settings;
  }

  @Override
  public void migrate(Flyway flyway) {
    if (settings.applyOnStartup()) {
      flyway.migrate();
      return;
    }
    long deadline = System.nanoTime() + settings.awaitTimeout().toNanos();
    MigrationInfo[] pending = flyway.info().pending();
    while (pending.length > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The database schema still lacks %s after %s. This service does not migrate"
                    .formatted(versions(pending), settings.awaitTimeout())
                + " (editflow.migrations.apply-on-startup=false): run the schema migration"
                + " (dev.editflow.jobs.migration.SchemaMigration, the editflow-migrate Job).");
      }
      LOG.info(
          "Waiting for the schema migration to apply {}; looking again in {}.",
          versions(pending),
          settings.awaitInterval());
      sleep(settings.awaitInterval());
      pending = flyway.info().pending();
    }
    flyway.validate();
  }

  private static String versions(MigrationInfo[] pending) {
    return Arrays.stream(pending)
        .map(m -> "V" + m.getVersion())
        .collect(Collectors.joining(", ", "migration(s) ", ""));
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the schema migration", e);
    }
  }
}
