package dev.editflow.image;

/** What the first bytes of an image say about it. */
public record ImageHeader(ImageType type, int width, int height) {}
