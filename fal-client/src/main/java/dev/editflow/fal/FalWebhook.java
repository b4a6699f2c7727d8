package dev.editflow.fal;

import dev.editflow.model.EditJobId;
import dev.editflow.model.message.FalWebhookReceived;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A verified webhook from fal.
 *
 * @param status {@code OK} or {@code ERROR}
 * @param payload the model's output or error detail; {@literal null} when fal could not serialise
 *     it ({@code payloadError} then says why: fetch the result through the queue)
 * @param error on {@code ERROR}, what went wrong, e.g. {@code Invalid status code: 422}
 */
public record FalWebhook(
    String requestId,
    @Nullable String gatewayRequestId,
    String status,
    @Nullable JsonNode payload,
    @Nullable String payloadError,
    @Nullable String error) {

  private static final Pattern STATUS_CODE = Pattern.compile("status code:? (\\d{3})");

  /** The model's output, when the webhook carries it: {@code OK} with a payload. */
  public @Nullable FalResult result() {
    return "OK".equals(status) && payload != null && payload.path("images").isArray()
        ? FalAnswers.result(payload)
        : null;
  }

  /**
   * The model's failure, classified as a failed result call with the same HTTP status and body
   * would be; {@literal null} unless the webhook is an {@code ERROR} with its payload and status.
   */
  public @Nullable FalCallFailed failure() {
    if (!"ERROR".equals(status) || payload == null || error == null) {
      return null;
    }
    Matcher code = STATUS_CODE.matcher(error);
    if (!code.find()) {
      return null;
    }
    return FalErrors.classify(
        "webhook",
        Integer.parseInt(code.group(1)),
        HttpHeaders.of(Map.of(), (name, value) -> true),
        payload);
  }

  /**
   * The message that tells the worker about this webhook of {@code job}'s {@code attempt}: with the
   * result or failure it carries, so that the job completes without asking fal again, or without
   * either (a payload fal could not send), so that the worker fetches them.
   */
  public FalWebhookReceived received(EditJobId job, @Nullable Integer attempt, Instant at) {
    FalResult result = result();
    FalCallFailed failure = result == null ? failure() : null;
    return new FalWebhookReceived(
        job,
        requestId,
        at,
        attempt,
        result == null ? null : result.generatedImages(),
        failure == null
            ? null
            : new FalWebhookReceived.Failure(failure.code(), failure.getMessage()));
  }
}
