package dev.editflow.jobs;

import java.time.Instant;

/** An output image durably stored in our bucket, with what the archiver measured of it. */
public record ArchivedOutput(
    int index,
    String objectKey,
    String contentType,
    int width,
    int height,
    long bytes,
    String sha256,
    Instant archivedAt) {}
