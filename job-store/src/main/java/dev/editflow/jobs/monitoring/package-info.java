/**
 * What every service shows operators the same way: its readiness and the depth of the broker queues
 * as gauges, and no traces of probes and scrapes.
 */
@NullMarked
package dev.editflow.jobs.monitoring;

import org.jspecify.annotations.NullMarked;
