package dev.editflow.falsim.image;

import dev.editflow.falsim.media.StoredFile;

/**
 * A rendered output image stored as media.
 *
 * @param file the stored file (its content type is what was actually written)
 * @param width width in pixels
 * @param height height in pixels
 */
public record OutputImage(StoredFile file, int width, int height) {}
