package dev.editflow.model.message;

import org.jspecify.annotations.Nullable;

/**
 * One output image as fal described it. Only {@code url} is guaranteed; the archiver measures the
 * real size, type and dimensions itself.
 *
 * @param index position of the output within the job, from 0; part of its archive key
 */
public record GeneratedImage(
    int index,
    String url,
    @Nullable String contentType,
    @Nullable Long fileSize,
    @Nullable Integer width,
    @Nullable Integer height) {}
