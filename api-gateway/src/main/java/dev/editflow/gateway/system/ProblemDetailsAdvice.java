package dev.editflow.gateway.system;

import dev.editflow.jobs.usage.LimitExceeded;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns every failure into problem+json with a stable code. Nothing internal (stack traces, SQL,
 * class names) ever reaches a response; unexpected failures are logged and answered as {@code
 * INTERNAL}.
 */
@RestControllerAdvice
class ProblemDetailsAdvice {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  private static final Duration DEPENDENCY_RETRY_AFTER = Duration.ofSeconds(2);

  private final Problems problems;
  private final LoadShedding shedding;

  ProblemDetailsAdvice(Problems problems, LoadShedding shedding) {
    this.problems = problems;
    this.shedding = shedding;
  }

  @ExceptionHandler(RequestRejected.class)
  ResponseEntity<ProblemDetail> rejected(RequestRejected e, HttpServletRequest request) {
    return problems.response(
        e.error(), e.getMessage(), request.getRequestURI(), e.fieldErrors(), e.retryAfter());
  }

  @ExceptionHandler(LimitExceeded.class)
  ResponseEntity<ProblemDetail> limit(LimitExceeded e, HttpServletRequest request) {
    ApiError error =
        switch (e.limit()) {
          case ACTIVE_JOBS -> ApiError.ACTIVE_JOBS_LIMIT;
          case DAILY_IMAGES -> ApiError.DAILY_QUOTA_EXCEEDED;
          case DAILY_BUDGET -> ApiError.BUDGET_EXHAUSTED;
          case REQUEST_RATE -> ApiError.RATE_LIMITED;
        };
    return problems.response(
        error, error.title(), request.getRequestURI(), List.of(), e.retryAfter());
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ProblemDetail> invalid(
      MethodArgumentNotValidException e, HttpServletRequest request) {
    List<Map<String, String>> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(f -> Map.of("field", f.getField(), "message", message(f)))
            .toList();
    return problems.response(
        ApiError.VALIDATION_FAILED,
        "The request has " + errors.size() + " invalid field(s)",
        request.getRequestURI(),
        errors,
        null);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<ProblemDetail> invalidParameter(
      HandlerMethodValidationException e, HttpServletRequest request) {
    return problems.response(
        ApiError.VALIDATION_FAILED,
        "A request parameter is invalid",
        request.getRequestURI(),
        List.of(),
        null);
  }

  @ExceptionHandler({
    MethodArgumentTypeMismatchException.class,
    MissingServletRequestParameterException.class,
    MissingRequestHeaderException.class
  })
  ResponseEntity<ProblemDetail> badParameter(Exception e, HttpServletRequest request) {
    return problems.response(
        ApiError.VALIDATION_FAILED,
        "A request parameter or header is missing or invalid",
        request.getRequestURI(),
        List.of(),
        null);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> unreadable(
      HttpMessageNotReadableException e, HttpServletRequest request) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyTooLarge) {
        return tooLarge(e, request);
      }
    }
    return problems.response(
        ApiError.MALFORMED_REQUEST,
        "The body is not valid JSON, has a value of the wrong type, or has a field this API does not know",
        request.getRequestURI(),
        List.of(),
        null);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ProblemDetail> method(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    return problems.response(
        ApiError.METHOD_NOT_ALLOWED,
        e.getMethod() + " is not supported here",
        request.getRequestURI(),
        List.of(),
        null);
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ProblemDetail> mediaType(
      HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
    return problems.response(
        ApiError.UNSUPPORTED_MEDIA_TYPE,
        "Send the body as application/json",
        request.getRequestURI(),
        List.of(),
        null);
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<ProblemDetail> notAcceptable(
      HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
    return problems.response(
        ApiError.NOT_ACCEPTABLE,
        "Accept application/json",
        request.getRequestURI(),
        List.of(),
        null);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e, HttpServletRequest request) {
    return problems.response(
        ApiError.NOT_FOUND, "No such resource", request.getRequestURI(), List.of(), null);
  }

  @ExceptionHandler({MaxUploadSizeExceededException.class, BodyTooLarge.class})
  ResponseEntity<ProblemDetail> tooLarge(Exception e, HttpServletRequest request) {
    return problems.response(
        ApiError.PAYLOAD_TOO_LARGE,
        "The request body is too large",
        request.getRequestURI(),
        List.of(),
        null);
  }

  /**
   * S3 or PostgreSQL unreachable (restart, network blip), or every database connection busy for the
   * pool's whole (short) connection timeout: nothing was changed, so the client may retry the same
   * request, with the same Idempotency-Key, after a short pause.
   */
  @ExceptionHandler({
    SdkClientException.class,
    DataAccessResourceFailureException.class,
    CannotCreateTransactionException.class,
    TransientDataAccessException.class
  })
  ResponseEntity<ProblemDetail> dependencyDown(Exception e, HttpServletRequest request) {
    if (poolExhausted(e)) {
      // Counted, not logged: under a burst this happens to many requests at once.
      shedding.shed(LoadShedding.Reason.DATABASE_POOL);
    } else {
      LOG.warn(
          "{} {} failed, a dependency is unreachable: {}",
          request.getMethod(),
          request.getRequestURI(),
          e.toString());
    }
    return problems.response(
        ApiError.TEMPORARILY_UNAVAILABLE,
        "Nothing was changed; retry the same request shortly",
        request.getRequestURI(),
        List.of(),
        DEPENDENCY_RETRY_AFTER);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    LOG.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
    return problems.response(
        ApiError.INTERNAL, "Please try again later", request.getRequestURI(), List.of(), null);
  }

  /** Hikari's timeout without a cause: the database answers, but no connection became free. */
  private static boolean poolExhausted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException && t.getCause() == null) {
        return true;
      }
    }
    return false;
  }

  private static String message(FieldError error) {
    return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
  }
}
