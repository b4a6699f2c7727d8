/**
 * Real infrastructure for tests: Testcontainers when a Docker engine exists, otherwise the
 * machine's own PostgreSQL and RabbitMQ (isolated per test JVM), and S3 in-process.
 */
@NullMarked
package dev.editflow.testsupport;

import org.jspecify.annotations.NullMarked;
