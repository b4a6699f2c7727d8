/** Presigned uploads of input images, and checking that they really are images. */
@NullMarked
package dev.editflow.gateway.upload;

import org.jspecify.annotations.NullMarked;
