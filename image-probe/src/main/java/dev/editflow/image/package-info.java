/**
 * Recognises image types by their magic bytes and reads their dimensions from the header alone,
 * without decoding pixels.
 */
@NullMarked
package dev.editflow.image;

import org.jspecify.annotations.NullMarked;
