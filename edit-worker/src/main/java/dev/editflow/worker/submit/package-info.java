/** Submitting accepted jobs to fal, exactly once per attempt. */
@NullMarked
package dev.editflow.worker.submit;

import org.jspecify.annotations.NullMarked;
