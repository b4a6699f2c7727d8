/** The fal client wired with the worker's settings and metrics; the fal key lives only here. */
@NullMarked
package dev.editflow.worker.fal;

import org.jspecify.annotations.NullMarked;
