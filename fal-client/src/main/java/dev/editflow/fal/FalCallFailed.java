package dev.editflow.fal;

import dev.editflow.model.ErrorCode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A call to fal failed, classified into a stable {@link ErrorCode}. The message names only the
 * operation and HTTP status; fal's raw body goes to the logs, never here, because messages can
 * travel towards users.
 */
public class FalCallFailed extends RuntimeException {

  private final ErrorCode code;
  private final int httpStatus;
  private final @Nullable String falErrorType;
  private final @Nullable Duration retryAfter;

  public FalCallFailed(
      String operation,
      ErrorCode code,
      int httpStatus,
      @Nullable String falErrorType,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super(
        "fal "
            + operation
            + " failed: "
            + code
            + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : " (no response)")
            + (falErrorType != null ? " " + falErrorType : ""),
        cause);
    this.code = code;
    this.httpStatus = httpStatus;
    this.falErrorType = falErrorType;
    this.retryAfter = retryAfter;
  }

  public ErrorCode code() {
    return code;
  }

  /** Whether trying again later may succeed. */
  public boolean retryable() {
    return code.retryable();
  }

  /** 0 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  public @Nullable String falErrorType() {
    return falErrorType;
  }

  /** The server's Retry-After, if it sent one. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
