/**
 * The job store: edit jobs in PostgreSQL, changed only through guarded transitions that follow
 * {@link dev.editflow.model.JobStatus}'s one table and are recorded with who, when and why.
 */
@NullMarked
package dev.editflow.jobs;

import org.jspecify.annotations.NullMarked;
