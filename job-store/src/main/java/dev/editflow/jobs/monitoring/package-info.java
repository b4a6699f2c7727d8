/** Gauges every service exposes the same way: its readiness and the depth of the broker queues. */
@NullMarked
package dev.editflow.jobs.monitoring;

import org.jspecify.annotations.NullMarked;
