package dev.editflow.falsim.queue;

/**
 * The documented JSON {@code status} values of the cancel call and the HTTP codes we pair them
 * with.
 */
enum CancelResult {
  OK(200),
  CANCELLATION_REQUESTED(202),
  ALREADY_COMPLETED(400),
  NOT_FOUND(404);

  final int httpStatus;

  CancelResult(int httpStatus) {
    this.httpStatus = httpStatus;
  }
}
