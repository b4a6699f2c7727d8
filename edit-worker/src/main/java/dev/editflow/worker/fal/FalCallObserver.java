package dev.editflow.worker.fal;

import dev.editflow.fal.FalCallListener;
import dev.editflow.worker.system.WorkerMetrics;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Counts every exchange with fal in the worker's metrics, and traces every call (its retries
 * included) as a client span, a child of the job's span in scope when the call was made.
 */
final class FalCallObserver implements FalCallListener {

  private final WorkerMetrics metrics;
  private final Tracer tracer;

  FalCallObserver(WorkerMetrics metrics, Tracer tracer) {
    this.metrics = metrics;
    this.tracer = tracer;
  }

  @Override
  public void onCall(String operation, String outcome, int status, Duration duration) {
    metrics.falCall(operation, outcome, status, duration);
  }

  @Override
  public Consumer<String> started(String operation) {
    Span span =
        tracer
            .spanBuilder()
            .name("fal " + operation)
            .kind(Span.Kind.CLIENT)
            .remoteServiceName("fal")
            .tag("fal.operation", operation)
            .start();
    return outcome -> {
      span.tag("fal.outcome", outcome);
      if (!"ok".equals(outcome)) {
        span.error(new IllegalStateException("fal " + operation + " failed: " + outcome));
      }
      span.end();
    };
  }
}
