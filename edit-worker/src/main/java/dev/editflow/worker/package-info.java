/** The edit-worker: submits jobs to fal, tracks them, enforces deadlines, cancels. */
@NullMarked
package dev.editflow.worker;

import org.jspecify.annotations.NullMarked;
