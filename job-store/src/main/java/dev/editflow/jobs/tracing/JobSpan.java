package dev.editflow.jobs.tracing;

import dev.editflow.model.EditJobId;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A span of work on one job. It is started, not entered: {@link #enter()} (or {@link #run}, {@link
 * #call}, {@link #wrap}) puts it and the job id in scope on the current thread, so asynchronous
 * steps on other threads log and trace as part of the same job.
 */
public final class JobSpan {

  /** A span and job id in scope; closing restores what was in scope before. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private final Tracer tracer;
  private final Span span;
  private final EditJobId job;

  JobSpan(Tracer tracer, Span span, EditJobId job) {
    this.tracer = tracer;
    this.span = span;
    this.job = job;
  }

  public Scope enter() {
    Tracer.SpanInScope inScope = tracer.withSpan(span);
    Scope jobId = JobTracing.inLogs(job, span.context());
    return () -> {
      jobId.close();
      inScope.close();
    };
  }

  public void run(Runnable work) {
    try (Scope scope = enter()) {
      work.run();
    }
  }

  public <T> T call(Supplier<T> work) {
    try (Scope scope = enter()) {
      return work.get();
    }
  }

  /** An executor that runs every task with this span and job in scope. */
  public Executor wrap(Executor executor) {
    return task -> executor.execute(() -> run(task));
  }

  public JobSpan tag(String key, String value) {
    span.tag(key, value);
    return this;
  }

  /** The span failed; {@code error} is recorded on it. */
  public void failed(@Nullable Throwable error) {
    if (error != null) {
      span.error(error);
    }
  }

  /** This span's context as a W3C {@code traceparent}, to send along with a message. */
  public @Nullable String traceParent() {
    return TraceParent.format(span.context());
  }

  public void end() {
    span.end();
  }
}
