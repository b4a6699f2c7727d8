/** Output files on disk served from the simulator's own CDN-like media path, with expiry. */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.media;
