package dev.editflow.fal;

import org.jspecify.annotations.Nullable;

/**
 * A request's status. fal documents only three states; anything else is {@link State#UNKNOWN} and
 * treated like "still running" by callers, so a new state can never crash a worker.
 *
 * @param error set on a {@code COMPLETED} request whose model failed; fetch the result for details
 */
public record FalStatus(
    State state,
    @Nullable Integer queuePosition,
    @Nullable Double inferenceSeconds,
    @Nullable String error,
    @Nullable String errorType) {

  public enum State {
    IN_QUEUE,
    IN_PROGRESS,
    COMPLETED,
    UNKNOWN
  }

  public boolean isCompleted() {
    return state == State.COMPLETED;
  }
}
