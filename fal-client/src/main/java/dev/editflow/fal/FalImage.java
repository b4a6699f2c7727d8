package dev.editflow.fal;

import org.jspecify.annotations.Nullable;

/** One output image as fal describes it; only the URL is guaranteed. */
public record FalImage(
    String url,
    @Nullable String contentType,
    @Nullable String fileName,
    @Nullable Long fileSize,
    @Nullable Integer width,
    @Nullable Integer height) {}
