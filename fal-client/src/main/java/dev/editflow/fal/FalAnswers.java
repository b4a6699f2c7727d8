package dev.editflow.fal;

import dev.editflow.model.FalRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads what fal answers into our types: a submit's request handle, a status, a result (from the
 * queue or a webhook's payload) and a cancel's outcome. Unknown fields are ignored and missing
 * optional ones are {@literal null}.
 */
final class FalAnswers {

  private FalAnswers() {}

  /** A submit's answer; URLs fal left out are built from {@code base}, as fal lays them out. */
  static FalRequest request(JsonNode node, String base) {
    return new FalRequest(
        node.path("request_id").asString(),
        text(node, "status_url", base + "/status"),
        text(node, "response_url", base),
        text(node, "cancel_url", base + "/cancel"));
  }

  static FalStatus status(JsonNode node) {
    FalStatus.State state;
    try {
      state = FalStatus.State.valueOf(node.path("status").asString(""));
    } catch (IllegalArgumentException unknown) {
      state = FalStatus.State.UNKNOWN;
    }
    // Third-party docs mention FAILED/CANCELLED; fal's contract has neither, but a finished
    // request must never look like it is still running.
    String raw = node.path("status").asString("");
    if (raw.equals("FAILED") || raw.startsWith("CANCEL")) {
      state = FalStatus.State.COMPLETED;
    }
    return new FalStatus(
        state,
        node.hasNonNull("queue_position") ? node.get("queue_position").asInt() : null,
        node.path("metrics").hasNonNull("inference_time")
            ? node.path("metrics").get("inference_time").asDouble()
            : null,
        optionalText(node, "error"),
        optionalText(node, "error_type"));
  }

  /** An image model's output: {@code {"images": [{url, content_type, …}], "description"}}. */
  static FalResult result(JsonNode node) {
    List<FalImage> images = new ArrayList<>();
    for (JsonNode image : node.path("images")) {
      images.add(
          new FalImage(
              image.path("url").asString(),
              optionalText(image, "content_type"),
              optionalText(image, "file_name"),
              image.hasNonNull("file_size") ? image.get("file_size").asLong() : null,
              image.hasNonNull("width") ? image.get("width").asInt() : null,
              image.hasNonNull("height") ? image.get("height").asInt() : null));
    }
    return new FalResult(images, optionalText(node, "description"));
  }

  /** A cancel's outcome from the body's {@code status}, else from the HTTP code. */
  static CancelOutcome cancelOutcome(int httpStatus, @Nullable JsonNode body) {
    String status = body == null ? "" : body.path("status").asString("");
    return switch (status) {
      case "OK" -> CancelOutcome.REMOVED;
      case "CANCELLATION_REQUESTED" -> CancelOutcome.CANCELLATION_REQUESTED;
      case "ALREADY_COMPLETED" -> CancelOutcome.ALREADY_COMPLETED;
      case "NOT_FOUND" -> CancelOutcome.NOT_FOUND;
      default ->
          httpStatus == 404
              ? CancelOutcome.NOT_FOUND
              : httpStatus == 400
                  ? CancelOutcome.ALREADY_COMPLETED
                  : CancelOutcome.CANCELLATION_REQUESTED;
    };
  }

  private static String text(JsonNode node, String field, String fallback) {
    String value = optionalText(node, field);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static @Nullable String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
