/** The result-archiver service: copies fal's outputs into our bucket and finishes jobs. */
@NullMarked
package dev.editflow.archiver;

import org.jspecify.annotations.NullMarked;
