/**
 * Usage limits that hold across replicas: per-user active jobs, daily images and request rate, and
 * the global daily spend budget, reserved atomically with the job, given back by a failure or
 * cancel and kept by a success.
 */
@NullMarked
package dev.editflow.jobs.usage;

import org.jspecify.annotations.NullMarked;
