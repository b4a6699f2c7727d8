/** Worker settings and metrics. */
@NullMarked
package dev.editflow.worker.system;

import org.jspecify.annotations.NullMarked;
