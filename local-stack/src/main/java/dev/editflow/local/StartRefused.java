package dev.editflow.local;

/** The stack cannot start; the message is the one line the console shows. */
final class StartRefused extends RuntimeException {

  StartRefused(String reason) {
    super(reason);
  }
}
