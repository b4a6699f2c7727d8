package dev.editflow.fal;

/** What fal did with a cancel; read from the body's {@code status}, not the HTTP code. */
public enum CancelOutcome {
  /** Removed from the queue before it ran ({@code OK}). */
  REMOVED,
  /** Already running; the model was asked to stop and may still finish (and bill). */
  CANCELLATION_REQUESTED,
  ALREADY_COMPLETED,
  NOT_FOUND
}
