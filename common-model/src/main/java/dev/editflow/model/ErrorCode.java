package dev.editflow.model;

/**
 * The stable error codes a job can end with. Clients switch on {@link #name()}; the message is safe
 * to show to an end user. Raw provider errors never leave the service: they go to the logs.
 */
public enum ErrorCode {
  INPUT_REJECTED(
      false, "The image or the instruction was rejected by the model. Check the inputs."),
  CONTENT_POLICY(false, "The request was blocked by the model's content policy."),
  // Our inputs are our own uploads, checked at accept: an input fal cannot fetch is almost always
  // our storage or a presigned URL failing for a moment, and a new attempt presigns afresh.
  INPUT_UNREACHABLE(true, "The model could not download an input image."),
  PROVIDER_UNAVAILABLE(true, "The image model is temporarily unavailable. Please try again."),
  PROVIDER_TIMEOUT(true, "The image model did not start in time. Please try again."),
  QUOTA_EXCEEDED(
      true, "The image model's capacity is exhausted right now. Please try again later."),
  PROVIDER_REJECTED_CREDENTIALS(
      false, "The service is misconfigured. The operators have been told."),
  OUTPUT_UNAVAILABLE(true, "The edited image could not be retrieved from the model."),
  OUTPUT_INVALID(false, "The model returned something that is not a valid image."),
  DEADLINE_EXCEEDED(true, "The edit did not finish within its deadline."),
  CANCELLED(false, "The edit was cancelled."),
  UNKNOWN(true, "Something went wrong while editing the image. Please try again.");

  private final boolean retryable;
  private final String userMessage;

  ErrorCode(boolean retryable, String userMessage) {
    this.retryable = retryable;
    this.userMessage = userMessage;
  }

  /** Whether submitting the same request again may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** A message safe to show to an end user; never contains provider details. */
  public String userMessage() {
    return userMessage;
  }
}
