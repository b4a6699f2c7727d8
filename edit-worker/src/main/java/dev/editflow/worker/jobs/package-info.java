/**
 * The worker's own queries on the job row: who may submit an attempt to fal now (the submit marker,
 * the fal slots and their wait room) and when to look at a request at fal next (poll leases, owed
 * cancels). Status changes go through the job core's {@link dev.editflow.jobs.EditJobs#move}.
 */
@NullMarked
package dev.editflow.worker.jobs;

import org.jspecify.annotations.NullMarked;
