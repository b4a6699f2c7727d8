package dev.editflow.jobs;

import org.jspecify.annotations.Nullable;

/** The model options of a job, as the client asked for them (validated by the gateway). */
public record EditParameters(
    int numImages,
    @Nullable String aspectRatio,
    @Nullable String resolution,
    String outputFormat,
    @Nullable Long seed) {}
