package dev.editflow.jobs.tracing;

import dev.editflow.model.EditJobId;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Starts the spans of a job's work in the job's own trace. A job's trace context (the W3C {@code
 * traceparent} of the request that accepted it) is stored with the job; work that happens later or
 * elsewhere (a poll of fal, a timeout, a webhook) starts its span as a child of it, so one job is
 * one trace across the gateway, the broker, the worker and the archiver. Re-drives by a sweeper
 * start a trace of their own that links back to the job's.
 */
public class JobTracing {

  /** The logging-context (MDC) key of the job a line is about. */
  public static final String JOB_ID = "jobId";

  /** The logging-context keys of the trace and span, as Spring Boot's own. */
  static final String TRACE_ID = "traceId";

  static final String SPAN_ID = "spanId";

  /** The W3C trace-context header messages carry their trace in. */
  public static final String TRACE_PARENT_HEADER = "traceparent";

  private final Tracer tracer;

  public JobTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** The W3C {@code traceparent} of the span in scope now, or {@literal null} if there is none. */
  public @Nullable String currentTraceParent() {
    Span span = tracer.currentSpan();
    return span == null ? null : TraceParent.format(span.context());
  }

  /**
   * Starts a span of the job's work: a child of the span in scope if there is one, else of the
   * job's stored trace context, else the root of a new trace.
   */
  public JobSpan start(String name, EditJobId job, @Nullable String traceParent) {
    return start(name, null, job, traceParent);
  }

  /** {@link #start(String, EditJobId, String)} for a span of a given kind (e.g. a producer's). */
  public JobSpan start(
      String name, Span.@Nullable Kind kind, EditJobId job, @Nullable String traceParent) {
    Span.Builder builder = tracer.spanBuilder().name(name).tag("editflow.job", job.value());
    if (kind != null) {
      builder.kind(kind);
    }
    if (tracer.currentSpan() == null) {
      TraceContext parent = TraceParent.parse(tracer, traceParent);
      if (parent != null) {
        builder.setParent(parent);
      }
    }
    return new JobSpan(tracer, builder.start(), job);
  }

  /**
   * Starts the root of a new trace that links to the job's trace: for work on a job that is not
   * part of its normal course, such as a sweeper re-driving it minutes later.
   */
  public JobSpan startLinked(String name, EditJobId job, @Nullable String traceParent) {
    Span.Builder builder =
        tracer.spanBuilder().name(name).setNoParent().tag("editflow.job", job.value());
    TraceContext linked = TraceParent.parse(tracer, traceParent);
    if (linked != null) {
      builder.addLink(new Link(linked));
    }
    return new JobSpan(tracer, builder.start(), job);
  }

  /** Puts the job id in the logging context until the scope closes (then restores the previous). */
  public static JobSpan.Scope jobIdInLogs(EditJobId job) {
    return inLogs(job, null);
  }

  /**
   * Puts the job id, and the trace and span in scope now, in the logging context until the scope
   * closes. Spring Boot copies the trace into the logging context only once the application context
   * is refreshed, after listeners and pollers have started: a message handled in the first moments
   * of a (re)started service would otherwise log without its trace.
   */
  public JobSpan.Scope inLogs(EditJobId job) {
    Span span = tracer.currentSpan();
    return inLogs(job, span == null ? null : span.context());
  }

  static JobSpan.Scope inLogs(EditJobId job, @Nullable TraceContext trace) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(JOB_ID, job.value());
    if (trace != null && !trace.traceId().isEmpty()) {
      values.put(TRACE_ID, trace.traceId());
      values.put(SPAN_ID, trace.spanId());
    }
    Map<String, @Nullable String> previous = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          previous.put(key, MDC.get(key));
          MDC.put(key, value);
        });
    return () ->
        previous.forEach(
            (key, value) -> {
              if (value == null) {
                MDC.remove(key);
              } else {
                MDC.put(key, value);
              }
            });
  }
}
