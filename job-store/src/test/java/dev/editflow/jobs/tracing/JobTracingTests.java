package dev.editflow.jobs.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.model.EditJobId;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Job spans through the real OpenTelemetry bridge, as the services run it. */
class JobTracingTests {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
  private final Tracer tracer =
      new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(), event -> {});
  private final JobTracing tracing = new JobTracing(tracer);
  private final EditJobId job = EditJobId.generate();

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void continuesTheJobsStoredTraceLongAfterItsRequestEnded() {
    String stored = accept();

    JobSpan poll = tracing.start("look at fal", job, stored);
    poll.end();

    SpanData span = exported("look at fal");
    assertThat(span.getTraceId()).isEqualTo(stored.substring(3, 35));
    assertThat(span.getParentSpanId()).isEqualTo(stored.substring(36, 52));
    assertThat(span.getAttributes().asMap().values()).contains(job.value());
  }

  @Test
  void putsTheJobAndItsTraceInTheLoggingContextWithoutSpringBootsListeners() {
    // This tracer publishes no scope events, as in a service whose context is not refreshed yet.
    JobSpan poll = tracing.start("look at fal", job, accept());
    String traceId = poll.traceParent().substring(3, 35);

    try (JobSpan.Scope scope = poll.enter()) {
      assertThat(MDC.get("jobId")).isEqualTo(job.value());
      assertThat(MDC.get("traceId")).isEqualTo(traceId);
      assertThat(MDC.get("spanId")).isEqualTo(poll.traceParent().substring(36, 52));
      try (JobSpan.Scope handled = tracing.inLogs(job)) {
        assertThat(MDC.get("traceId")).isEqualTo(traceId);
      }
      assertThat(MDC.get("traceId")).as("restored after the inner scope").isEqualTo(traceId);
    }
    poll.end();

    assertThat(MDC.get("jobId")).isNull();
    assertThat(MDC.get("traceId")).isNull();
    assertThat(MDC.get("spanId")).isNull();
  }

  @Test
  void startsAReDriveAsANewTraceThatLinksBackToTheJobs() {
    String stored = accept();

    tracing.startLinked("sweeper re-drive", job, stored).end();

    SpanData span = exported("sweeper re-drive");
    assertThat(span.getTraceId()).isNotEqualTo(stored.substring(3, 35));
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(span.getLinks())
        .singleElement()
        .satisfies(
            link ->
                assertThat(link.getSpanContext().getTraceId()).isEqualTo(stored.substring(3, 35)));
  }

  @Test
  void prefersTheSpanInScopeOverTheStoredContext() {
    String stored = accept();
    Span consumer = tracer.nextSpan().name("receive").start();

    try (Tracer.SpanInScope scope = tracer.withSpan(consumer)) {
      tracing.start("media fetch", job, stored).end();
    }
    consumer.end();

    assertThat(exported("media fetch").getParentSpanId()).isEqualTo(consumer.context().spanId());
  }

  @Test
  void carriesSpanAndJobIdToTheThreadsThatContinueTheWork() throws Exception {
    JobSpan span = tracing.start("look at fal", job, null);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      String[] seen =
          CompletableFuture.supplyAsync(
                  () -> new String[] {MDC.get(JobTracing.JOB_ID), tracing.currentTraceParent()},
                  span.wrap(pool))
              .get();
      String afterwards =
          CompletableFuture.supplyAsync(() -> MDC.get(JobTracing.JOB_ID), pool).get();

      assertThat(seen[0]).isEqualTo(job.value());
      assertThat(seen[1]).isEqualTo(span.traceParent());
      assertThat(afterwards).as("the pool thread is clean again").isNull();
    } finally {
      pool.shutdown();
      span.end();
    }
  }

  @Test
  void ignoresAMalformedStoredContext() {
    tracing.start("look at fal", job, "not-a-traceparent").end();

    assertThat(exported("look at fal").getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void hasNoTraceParentWithoutTracing() {
    JobTracing off = new JobTracing(Tracer.NOOP);

    JobSpan span = off.start("look at fal", job, null);

    assertThat(span.traceParent()).isNull();
    assertThat(off.currentTraceParent()).isNull();
    span.end();
  }

  /** A request span, ended like an HTTP request that accepted the job; its stored context. */
  private String accept() {
    Span request = tracer.nextSpan().name("http post /v1/edits").start();
    String stored;
    try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
      stored = tracing.currentTraceParent();
    }
    request.end();
    assertThat(stored).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    return stored;
  }

  private SpanData exported(String name) {
    return exported.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
