/**
 * Broker plumbing every service shares: the topology, message encoding with type and version
 * headers, and the consumer-side rules that park poison messages and delay transient failures.
 */
@NullMarked
package dev.editflow.jobs.messaging;

import org.jspecify.annotations.NullMarked;
