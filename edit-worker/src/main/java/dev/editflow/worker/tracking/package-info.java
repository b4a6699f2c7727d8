/** Following fal requests to completion without a thread or an unacked message per job. */
@NullMarked
package dev.editflow.worker.tracking;

import org.jspecify.annotations.NullMarked;
