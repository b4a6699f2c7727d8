/**
 * What happens to a job's data after it ends: its owner deletes it ({@code DELETE /v1/edits/{id}},
 * leaving a tombstone), or the retention sweeper removes its inputs and outputs from the bucket
 * once they are older than {@code editflow.retention.*}.
 */
@NullMarked
package dev.editflow.gateway.lifecycle;

import org.jspecify.annotations.NullMarked;
