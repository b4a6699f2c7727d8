package dev.editflow.jobs.migration;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who migrates the schema.
 *
 * @param applyOnStartup {@code true}: this service applies pending migrations when it starts
 *     (Flyway's lock makes concurrent starts take turns); {@code false}: it only waits for them to
 *     be applied by {@link SchemaMigration}, so a rollout of many replicas migrates once
 * @param awaitTimeout how long a service that does not apply migrations waits for pending ones
 *     before it gives up and exits
 * @param awaitInterval how often it looks again while waiting
 */
@ConfigurationProperties("editflow.migrations")
public record MigrationSettings(
    @DefaultValue("true") boolean applyOnStartup,
    @DefaultValue("3m") Duration awaitTimeout,
    @DefaultValue("2s") Duration awaitInterval) {}
