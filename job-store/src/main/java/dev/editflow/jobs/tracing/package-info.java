/**
 * One trace per job: the W3C trace context of the request that accepted a job is stored with it and
 * with its messages, so every later step, in any service and however much later, joins that trace,
 * with the job id in the logging context.
 */
@NullMarked
package dev.editflow.jobs.tracing;

import org.jspecify.annotations.NullMarked;
