/**
 * Broker plumbing every service shares: the topology, message encoding with type and version
 * headers, the consumer-side rules that park poison messages and delay transient failures, and the
 * queue-depth gauges. Wire it into a service with {@code @Import(MessagingConfiguration.class)}.
 */
@NullMarked
package dev.editflow.messaging;

import org.jspecify.annotations.NullMarked;
