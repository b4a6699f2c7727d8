/**
 * The local stack: embedded PostgreSQL, S3 and AMQP broker plus the fal-simulator and the three
 * services as separate processes, so that one command runs all of editflow on a bare machine.
 */
package dev.editflow.local;
