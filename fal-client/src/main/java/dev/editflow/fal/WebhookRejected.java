package dev.editflow.fal;

/** An incoming fal webhook failed verification; nothing may change because of it. */
public class WebhookRejected extends RuntimeException {

  /** Why, as a stable value for logs and metrics. */
  public enum Reason {
    MISSING_HEADER,
    STALE,
    BAD_SIGNATURE,
    REPLAY,
    MALFORMED,
    KEYS_UNAVAILABLE
  }

  private final Reason reason;

  public WebhookRejected(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
