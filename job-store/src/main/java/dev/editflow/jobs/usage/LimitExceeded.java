package dev.editflow.jobs.usage;

import java.time.Duration;

/** A request did not fit in a usage limit; nothing was reserved or changed. */
public class LimitExceeded extends RuntimeException {

  /** Which limit was hit. */
  public enum Limit {
    ACTIVE_JOBS,
    DAILY_IMAGES,
    DAILY_BUDGET,
    REQUEST_RATE
  }

  private final Limit limit;
  private final Duration retryAfter;

  public LimitExceeded(Limit limit, Duration retryAfter) {
    super(limit + " limit reached");
    this.limit = limit;
    this.retryAfter = retryAfter;
  }

  public Limit limit() {
    return limit;
  }

  /** When trying again may succeed. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
