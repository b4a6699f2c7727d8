/** Downloads input images and renders real, visibly transformed output images. */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.image;
