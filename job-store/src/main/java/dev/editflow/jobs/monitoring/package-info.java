/**
 * What every service shows operators the same way: its readiness as a gauge, and no traces of
 * probes and scrapes. The queue-depth gauges come with {@code job-messaging}.
 */
@NullMarked
package dev.editflow.jobs.monitoring;

import org.jspecify.annotations.NullMarked;
