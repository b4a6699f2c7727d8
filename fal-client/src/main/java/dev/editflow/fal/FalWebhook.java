package dev.editflow.fal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A verified webhook from fal.
 *
 * @param status {@code OK} or {@code ERROR}
 * @param payload the model's output or error detail; {@literal null} when fal could not serialise
 *     it ({@code payloadError} then says why: fetch the result through the queue)
 */
public record FalWebhook(
    String requestId,
    @Nullable String gatewayRequestId,
    String status,
    @Nullable JsonNode payload,
    @Nullable String payloadError,
    @Nullable String error) {}
