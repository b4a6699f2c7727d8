package dev.editflow.fal;

/**
 * A request fal accepted, with the URLs fal returned for it; persisted by the worker so that it can
 * resume tracking after a crash.
 */
public record FalRequestRef(
    String requestId, String statusUrl, String responseUrl, String cancelUrl) {}
