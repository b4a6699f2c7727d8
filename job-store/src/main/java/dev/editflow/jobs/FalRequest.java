package dev.editflow.jobs;

/** The fal request of a job's current attempt, with the URLs fal returned for it. */
public record FalRequest(
    String requestId, String statusUrl, String responseUrl, String cancelUrl) {}
