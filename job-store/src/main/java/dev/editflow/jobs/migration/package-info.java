/**
 * When the schema is migrated: at startup by every service (one machine, compose, tests), or once
 * by {@link dev.editflow.jobs.migration.SchemaMigration} before a rollout, with the services
 * waiting for it (Kubernetes).
 */
@NullMarked
package dev.editflow.jobs.migration;

import org.jspecify.annotations.NullMarked;
