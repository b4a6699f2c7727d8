package dev.editflow.model;

/**
 * A request fal accepted, with the URLs fal returned for it: what the fal client hands back on
 * submit and the job store keeps for the job's current attempt, so that tracking resumes after a
 * crash.
 */
public record FalRequest(
    String requestId, String statusUrl, String responseUrl, String cancelUrl) {}
