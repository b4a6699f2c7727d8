package dev.editflow.messaging;

/**
 * Handling a message failed for a reason that may pass (a dependency is down); the message is
 * retried after a growing delay, and parked only once every retry level is used up.
 */
public class TransientFailure extends RuntimeException {

  public TransientFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
