package dev.editflow.messaging;

/** A message no retry can fix: it is parked with {@link #reason()} instead of being consumed. */
public class UnreadableMessage extends RuntimeException {

  private final String reason;

  public UnreadableMessage(String reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  /** A short, stable reason code written to the parked message's headers. */
  public String reason() {
    return reason;
  }
}
