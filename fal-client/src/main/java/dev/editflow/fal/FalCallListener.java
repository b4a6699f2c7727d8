package dev.editflow.fal;

import java.time.Duration;

/** Observes calls to fal, e.g. to count them in metrics, without this module knowing Micrometer. */
public interface FalCallListener {

  /**
   * One HTTP exchange (retries are separate calls).
   *
   * @param outcome {@code ok}, or the error code name of the failure
   * @param status the HTTP status, 0 for a network error
   */
  void onCall(String operation, String outcome, int status, Duration duration);

  FalCallListener NONE = (operation, outcome, status, duration) -> {};
}
