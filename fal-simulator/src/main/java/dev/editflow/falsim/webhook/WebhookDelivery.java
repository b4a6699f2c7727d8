package dev.editflow.falsim.webhook;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One delivery attempt, listed by {@code GET /_sim/webhooks}.
 *
 * @param requestId the job's request id
 * @param url where it was sent
 * @param attempt 1-based attempt number
 * @param at when the attempt finished
 * @param httpStatus the receiver's status code, null when the connection failed
 * @param error connection error, null when the receiver answered
 */
public record WebhookDelivery(
    String requestId,
    String url,
    int attempt,
    Instant at,
    @Nullable Integer httpStatus,
    @Nullable String error) {}
