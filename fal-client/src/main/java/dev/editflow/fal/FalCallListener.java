package dev.editflow.fal;

import java.time.Duration;
import java.util.function.Consumer;

/** Observes calls to fal, e.g. to count them in metrics, without this module knowing Micrometer. */
public interface FalCallListener {

  /**
   * One HTTP exchange (retries are separate calls).
   *
   * @param outcome {@code ok}, or the error code name of the failure
   * @param status the HTTP status, 0 for a network error
   */
  void onCall(String operation, String outcome, int status, Duration duration);

  /**
   * A call (its retries included) starts, on the caller's thread: e.g. to open a trace span as a
   * child of the caller's.
   *
   * @return told how the call ended ({@code ok}, or the error code name) once it is over, on
   *     whatever thread completes it
   */
  default Consumer<String> started(String operation) {
    return outcome -> {};
  }

  FalCallListener NONE = (operation, outcome, status, duration) -> {};
}
