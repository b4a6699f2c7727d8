package dev.editflow.gateway.system;

import org.springframework.http.HttpStatus;

/**
 * Every error the API answers with: a stable code clients switch on, its HTTP status and a title.
 * Rendered as RFC 9457 problem details by {@link ProblemDetailsAdvice}, the one renderer.
 */
public enum ApiError {
  UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "A valid bearer token is required"),
  FORBIDDEN(HttpStatus.FORBIDDEN, "Not allowed"),
  MALFORMED_REQUEST(
      HttpStatus.BAD_REQUEST, "The request body is not valid JSON of the expected shape"),
  VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "The request has invalid fields"),
  INVALID_CURSOR(HttpStatus.BAD_REQUEST, "The cursor is not one this API issued"),
  UNKNOWN_MODEL(HttpStatus.UNPROCESSABLE_CONTENT, "This model is not offered"),
  UNSUPPORTED_IMAGE_TYPE(HttpStatus.UNPROCESSABLE_CONTENT, "This image type is not accepted"),
  UPLOAD_TOO_LARGE(HttpStatus.UNPROCESSABLE_CONTENT, "The upload is larger than allowed"),
  UPLOAD_NOT_FOUND(HttpStatus.NOT_FOUND, "No such upload"),
  UPLOAD_EXPIRED(HttpStatus.UNPROCESSABLE_CONTENT, "The upload expired before it was used"),
  UPLOAD_INCOMPLETE(
      HttpStatus.UNPROCESSABLE_CONTENT, "The uploaded file is missing or has the wrong size"),
  UPLOAD_NOT_AN_IMAGE(
      HttpStatus.UNPROCESSABLE_CONTENT, "The uploaded file is not an acceptable image"),
  URL_NOT_ALLOWED(HttpStatus.UNPROCESSABLE_CONTENT, "This input URL is not allowed"),
  WEBHOOK_URL_NOT_ALLOWED(HttpStatus.UNPROCESSABLE_CONTENT, "Webhooks are never sent to this URL"),
  IDEMPOTENCY_KEY_REUSED(
      HttpStatus.UNPROCESSABLE_CONTENT, "This Idempotency-Key was used for a different request"),
  IDEMPOTENCY_IN_FLIGHT(
      HttpStatus.CONFLICT, "A request with this Idempotency-Key is still being processed"),
  JOB_NOT_FOUND(HttpStatus.NOT_FOUND, "No such edit job"),
  ALREADY_FINISHED(HttpStatus.CONFLICT, "The job already finished; there is nothing to cancel"),
  JOB_NOT_FINISHED(HttpStatus.CONFLICT, "The job is still running; cancel it first"),
  NOTHING_TO_REDRIVE(HttpStatus.CONFLICT, "The job already ended; there is nothing to re-drive"),
  WEBHOOK_DELIVERY_NOT_FOUND(HttpStatus.NOT_FOUND, "No such webhook delivery"),
  PARKED_MESSAGE_NOT_FOUND(HttpStatus.NOT_FOUND, "No such parked message"),
  RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
  ACTIVE_JOBS_LIMIT(HttpStatus.TOO_MANY_REQUESTS, "Too many unfinished jobs"),
  DAILY_QUOTA_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "The daily image quota is used up"),
  BUDGET_EXHAUSTED(HttpStatus.SERVICE_UNAVAILABLE, "The service's daily budget is used up"),
  TOO_MANY_STREAMS(HttpStatus.TOO_MANY_REQUESTS, "Too many open event streams"),
  OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "This instance is at its limit; retry shortly"),
  WEBHOOK_REJECTED(HttpStatus.UNAUTHORIZED, "The webhook signature did not verify"),
  NOT_FOUND(HttpStatus.NOT_FOUND, "No such resource"),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send application/json"),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Cannot produce the requested media type"),
  PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "The request body is too large"),
  TEMPORARILY_UNAVAILABLE(
      HttpStatus.SERVICE_UNAVAILABLE, "A store editflow depends on is briefly unreachable"),
  INVALID_REQUEST(
      HttpStatus.BAD_REQUEST, "The request's path, query or headers are not valid HTTP"),
  INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side");

  private final HttpStatus status;
  private final String title;

  ApiError(HttpStatus status, String title) {
    this.status = status;
    this.title = title;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }
}
