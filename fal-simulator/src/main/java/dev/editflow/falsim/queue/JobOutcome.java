package dev.editflow.falsim.queue;

import dev.editflow.falsim.model.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the result call of a finished job returns, plus what its status shows.
 *
 * @param httpStatus status code of the result call
 * @param body JSON body of the result call
 * @param headers extra headers of the result call
 * @param error the status object's {@code error}, null on success
 * @param errorType the status object's {@code error_type}, null on success
 * @param runnerFailure whether the queue may retry this attempt (runner 503)
 */
public record JobOutcome(
    int httpStatus,
    Map<String, Object> body,
    Map<String, String> headers,
    @Nullable String error,
    @Nullable String errorType,
    boolean runnerFailure) {

  static JobOutcome success(Map<String, Object> body) {
    return new JobOutcome(200, body, Map.of(), null, null, false);
  }

  /** A model error: {@code {"detail":[...]}}. */
  static JobOutcome modelError(int status, List<FieldError> errors) {
    var body = new LinkedHashMap<String, Object>();
    body.put("detail", errors.stream().map(FieldError::toJson).toList());
    FieldError first = errors.getFirst();
    return new JobOutcome(status, body, Map.of(), first.msg(), first.type(), false);
  }

  /** A request (infrastructure) error: flat {@code {"detail": "...", "error_type": "..."}}. */
  static JobOutcome requestError(
      int status, String detail, String errorType, Map<String, String> headers) {
    var body = new LinkedHashMap<String, Object>();
    body.put("detail", detail);
    body.put("error_type", errorType);
    var allHeaders = new LinkedHashMap<String, String>(headers);
    allHeaders.put("X-Fal-Error-Type", errorType);
    return new JobOutcome(status, body, allHeaders, detail, errorType, false);
  }

  static JobOutcome startTimeout() {
    return requestError(
        504, "Request timed out", "request_timeout", Map.of("X-Fal-Request-Timeout-Type", "user"));
  }

  static JobOutcome cancelled() {
    return requestError(400, "Request was cancelled", "request_cancelled", Map.of());
  }

  static JobOutcome runnerDisconnected() {
    var failure = requestError(503, "Runner disconnected", "runner_disconnected", Map.of());
    return new JobOutcome(
        failure.httpStatus(),
        failure.body(),
        failure.headers(),
        failure.error(),
        failure.errorType(),
        true);
  }

  public boolean failed() {
    return httpStatus >= 400;
  }
}
