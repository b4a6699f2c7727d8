/** The archiver's settings, metrics and wiring. */
@NullMarked
package dev.editflow.archiver.system;

import org.jspecify.annotations.NullMarked;
