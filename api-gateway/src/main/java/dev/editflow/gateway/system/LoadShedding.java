package dev.editflow.gateway.system;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * What this instance refuses because it is at one of its bounds ({@link GatewaySettings.Load}):
 * counted by reason, and remembered, so that readiness reports the instance as out of service while
 * it sheds.
 */
@Component
public class LoadShedding {

  /** Why a request was shed: the {@code reason} tag of {@code editflow.gateway.shed}. */
  public enum Reason {
    /** {@code maxInFlight} requests were being handled. */
    IN_FLIGHT,
    /** {@code maxStreams} event streams were open. */
    STREAMS,
    /** The caller had {@code maxStreamsPerUser} event streams open; not the instance's limit. */
    STREAMS_PER_USER,
    /** Every database connection stayed busy for the pool's whole connection timeout. */
    DATABASE_POOL;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry meters;
  private final GatewaySettings.Load settings;
  private final AtomicLong lastInstanceShed = new AtomicLong(System.nanoTime());
  private volatile boolean everShed;

  LoadShedding(MeterRegistry meters, GatewaySettings settings) {
    this.meters = meters;
    this.settings = settings.load();
    for (Reason reason : Reason.values()) {
      counter(reason);
    }
  }

  /** A {@code 503 OVERLOADED} to throw: this instance is at {@code reason}'s bound. */
  public RequestRejected overloaded(Reason reason, String detail) {
    shed(reason);
    return new RequestRejected(ApiError.OVERLOADED, detail, List.of(), settings.retryAfter());
  }

  /** A {@code 429 TOO_MANY_STREAMS} to throw: the caller, not the instance, is at its bound. */
  public RequestRejected tooManyStreams() {
    shed(Reason.STREAMS_PER_USER);
    return new RequestRejected(
        ApiError.TOO_MANY_STREAMS,
        "At most " + settings.maxStreamsPerUser() + " event streams per user may be open at once",
        List.of(),
        settings.retryAfter());
  }

  /** Counts a shed request; unless only its caller was over a bound, the instance is unready. */
  void shed(Reason reason) {
    counter(reason);
    meters.counter("editflow.gateway.shed", "reason", reason.tag()).increment();
    if (reason != Reason.STREAMS_PER_USER) {
      lastInstanceShed.set(System.nanoTime());
      everShed = true;
    }
  }

  /** Whether the instance shed a request within {@code unreadyAfterShedding}. */
  boolean shedRecently() {
    return everShed
        && System.nanoTime() - lastInstanceShed.get() < settings.unreadyAfterShedding().toNanos();
  }

  Duration retryAfter() {
    return settings.retryAfter();
  }

  private void counter(Reason reason) {
    meters.counter("editflow.gateway.shed", "reason", reason.tag());
  }
}
