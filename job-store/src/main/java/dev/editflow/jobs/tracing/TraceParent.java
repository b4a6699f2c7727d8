package dev.editflow.jobs.tracing;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The W3C {@code traceparent} form of a span context: {@code 00-<trace id>-<span id>-<flags>}. */
final class TraceParent {

  private static final Pattern FORMAT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String INVALID_TRACE = "00000000000000000000000000000000";

  private TraceParent() {}

  static @Nullable String format(TraceContext context) {
    String traceId = context.traceId();
    String spanId = context.spanId();
    if (traceId.length() != 32 || spanId.length() != 16 || traceId.equals(INVALID_TRACE)) {
      return null; // the no-op tracer's context
    }
    return "00-"
        + traceId
        + "-"
        + spanId
        + (Boolean.FALSE.equals(context.sampled()) ? "-00" : "-01");
  }

  /** The stored context as a remote parent, or {@literal null} if it is missing or malformed. */
  static @Nullable TraceContext parse(Tracer tracer, @Nullable String traceParent) {
    if (traceParent == null || !FORMAT.matcher(traceParent).matches()) {
      return null;
    }
    int flags = Integer.parseInt(traceParent.substring(53, 55), 16);
    return tracer
        .traceContextBuilder()
        .traceId(traceParent.substring(3, 35))
        .spanId(traceParent.substring(36, 52))
        .sampled((flags & 1) == 1)
        .build();
  }
}
