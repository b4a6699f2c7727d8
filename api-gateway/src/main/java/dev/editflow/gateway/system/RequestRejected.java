package dev.editflow.gateway.system;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A request the API refuses, with the error code and a detail safe to show to the caller. */
public class RequestRejected extends RuntimeException {

  private final ApiError error;
  private final List<Map<String, String>> fieldErrors;
  private final @Nullable Duration retryAfter;

  public RequestRejected(ApiError error, String detail) {
    this(error, detail, List.of(), null);
  }

  public RequestRejected(
      ApiError error,
      String detail,
      List<Map<String, String>> fieldErrors,
      @Nullable Duration retryAfter) {
    super(detail);
    this.error = error;
    this.fieldErrors = fieldErrors;
    this.retryAfter = retryAfter;
  }

  public static RequestRejected field(String field, String message) {
    return new RequestRejected(
        ApiError.VALIDATION_FAILED,
        field + ": " + message,
        List.of(Map.of("field", field, "message", message)),
        null);
  }

  public ApiError error() {
    return error;
  }

  public List<Map<String, String>> fieldErrors() {
    return fieldErrors;
  }

  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
