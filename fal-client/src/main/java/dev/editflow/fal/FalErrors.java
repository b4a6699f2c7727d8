package dev.editflow.fal;

import dev.editflow.model.ErrorCode;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Maps fal's HTTP answers to stable error codes and decides what is worth retrying. */
final class FalErrors {

  private FalErrors() {}

  static FalCallFailed classify(
      String operation, int status, HttpHeaders headers, byte[] body, JsonMapper json) {
    return classify(operation, status, headers, parse(body, json));
  }

  static FalCallFailed classify(
      String operation, int status, HttpHeaders headers, @Nullable JsonNode parsed) {
    String errorType = headers.firstValue("X-Fal-Error-Type").orElse(null);
    if (errorType == null && parsed != null && parsed.path("error_type").isString()) {
      errorType = parsed.path("error_type").asString();
    }
    ErrorCode code;
    if ("request_cancelled".equals(errorType)) {
      code = ErrorCode.CANCELLED;
    } else if (status == 401 || status == 403) {
      code = ErrorCode.PROVIDER_REJECTED_CREDENTIALS;
    } else if (status == 422 || status == 400) {
      String detailType = firstDetailType(parsed);
      errorType = detailType != null ? detailType : errorType;
      code = validationCode(detailType);
    } else if (status == 429) {
      code = ErrorCode.QUOTA_EXCEEDED;
    } else if (isUserTimeout(status, headers)
        || "request_timeout".equals(errorType)
        || "startup_timeout".equals(errorType)) {
      code = ErrorCode.PROVIDER_TIMEOUT;
    } else if (status >= 500) {
      code = ErrorCode.PROVIDER_UNAVAILABLE;
    } else {
      code = ErrorCode.UNKNOWN;
    }
    return new FalCallFailed(operation, code, status, errorType, retryAfter(headers), null);
  }

  /** The code of a failed model run as the status object or webhook reports it. */
  static ErrorCode validationCode(@Nullable String detailType) {
    if (detailType == null) {
      return ErrorCode.INPUT_REJECTED;
    }
    if (detailType.contains("content_policy")) {
      return ErrorCode.CONTENT_POLICY;
    }
    if (detailType.contains("download")
        || detailType.contains("image_load")
        || detailType.contains("unreachable")) {
      return ErrorCode.INPUT_UNREACHABLE;
    }
    return ErrorCode.INPUT_REJECTED;
  }

  /**
   * Whether an HTTP status may succeed when sent again. A 504 caused by our own start timeout never
   * does; 500 only for reads, as fal's own clients do.
   */
  static boolean retryableStatus(int status, HttpHeaders headers, boolean read) {
    if (isUserTimeout(status, headers)) {
      return false;
    }
    return status == 429
        || status == 502
        || status == 503
        || status == 504
        || (read && status == 500);
  }

  static boolean isUserTimeout(int status, HttpHeaders headers) {
    return status == 504
        && headers
            .firstValue("X-Fal-Request-Timeout-Type")
            .map("user"::equalsIgnoreCase)
            .orElse(false);
  }

  static @Nullable Duration retryAfter(HttpHeaders headers) {
    String value = headers.firstValue("Retry-After").orElse(null);
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return until.isNegative() ? Duration.ZERO : until;
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }

  private static @Nullable String firstDetailType(@Nullable JsonNode body) {
    if (body == null) {
      return null;
    }
    JsonNode detail = body.path("detail");
    if (detail.isArray() && !detail.isEmpty()) {
      JsonNode type = detail.get(0).path("type");
      return type.isString() ? type.asString() : null;
    }
    return null;
  }

  private static @Nullable JsonNode parse(byte[] body, JsonMapper json) {
    try {
      return body.length == 0 ? null : json.readTree(body);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
