package dev.editflow.stack;

/** A service process could not be started; the message says why in one line. */
public final class ServiceNotStarted extends IllegalStateException {

  ServiceNotStarted(String reason) {
    super(reason);
  }
}
