/**
 * Consumes {@code EditCompleted}, copies each output into our bucket with bounded memory, records
 * what was measured and marks the job {@code SUCCEEDED}; idempotent under redelivery.
 */
@NullMarked
package dev.editflow.archiver.archive;

import org.jspecify.annotations.NullMarked;
