package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.systemtests.OtlpReceiver.ReceivedSpan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One job is one trace, across the gateway, the broker, the worker (fal calls included) and the
 * archiver (media fetch, S3 put, client webhook), as the services export it over OTLP/HTTP to the
 * tests' receiver ({@link OtlpReceiver}).
 */
class TracingSystemIT {

  static ObservedJobs jobs;

  @BeforeAll
  static void runJobs() {
    jobs = ObservedJobs.get();
  }

  @Test
  void followsOneJobAcrossAllThreeServicesInOneTrace() throws SQLException {
    String traceId = traceIdOf(jobs.succeeded);
    List<ReceivedSpan> trace =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> OtlpReceiver.get().trace(traceId),
                spans ->
                    names(spans)
                        .containsAll(
                            List.of(
                                "http post /v1/edits",
                                "outbox publish EditRequested",
                                "fal submit",
                                "fal result",
                                "outbox publish EditCompleted",
                                "media fetch",
                                "s3 put",
                                "webhook send")));
    System.out.println("Trace " + traceId + " of job " + jobs.succeeded + ":\n" + tree(trace));

    assertThat(trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("api-gateway", "edit-worker", "result-archiver");
    assertThat(trace.stream().filter(ReceivedSpan::isRoot))
        .as("one root: the request that accepted the job")
        .singleElement()
        .satisfies(
            root -> {
              assertThat(root.service()).isEqualTo("api-gateway");
              assertThat(root.name()).isEqualTo("http post /v1/edits");
            });
    Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
    assertThat(trace)
        .as("every span hangs off another span of the trace")
        .allSatisfy(
            span -> assertThat(span.isRoot() || ids.contains(span.parentSpanId())).isTrue());
    assertThat(trace.stream().filter(s -> s.name().equals("media fetch"))).hasSize(2);
    assertThat(trace.stream().filter(s -> s.name().equals("s3 put"))).hasSize(2);
    assertThat(trace.stream().filter(s -> s.service().equals("edit-worker")))
        .extracting(ReceivedSpan::name)
        .contains("fal submit", "look at fal", "fal status", "fal result");
    assertThat(trace)
        .as("messages are consumed as children of the span that published them")
        .anySatisfy(
            consumer -> {
              assertThat(consumer.service()).isEqualTo("result-archiver");
              assertThat(consumer.kind()).isEqualTo("CONSUMER");
              assertThat(byId(trace).get(consumer.parentSpanId()).name())
                  .isEqualTo("outbox publish EditCompleted");
            });
    assertThat(trace).noneMatch(ReceivedSpan::error);
  }

  @Test
  void keepsTheCancelAtFalInTheJobsTrace() throws SQLException {
    String traceId = traceIdOf(jobs.cancelled);
    List<ReceivedSpan> trace =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> OtlpReceiver.get().trace(traceId),
                spans -> names(spans).contains("fal cancel"));
    assertThat(trace.stream().filter(ReceivedSpan::isRoot)).hasSize(1);
    assertThat(names(trace)).contains("http post /v1/edits", "fal submit", "cancel at fal");
  }

  static String traceIdOf(String jobId) throws SQLException {
    try (Connection db = EditFlowSystemIT.database();
        PreparedStatement query =
            db.prepareStatement("select trace_parent from edit_job where id = ?")) {
      query.setString(1, jobId);
      try (ResultSet rs = query.executeQuery()) {
        assertThat(rs.next()).isTrue();
        String traceParent = rs.getString(1);
        assertThat(traceParent)
            .as("the job's stored trace context")
            .matches("00-\\w{32}-\\w{16}-01");
        return traceParent.substring(3, 35);
      }
    }
  }

  private static List<String> names(List<ReceivedSpan> spans) {
    return spans.stream().map(ReceivedSpan::name).toList();
  }

  private static Map<String, ReceivedSpan> byId(List<ReceivedSpan> spans) {
    return spans.stream()
        .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (a, b) -> a));
  }

  /** The trace as an indented tree, children in start order, with service and duration. */
  static String tree(List<ReceivedSpan> trace) {
    StringBuilder text = new StringBuilder();
    long start = trace.stream().mapToLong(ReceivedSpan::startNanos).min().orElse(0);
    trace.stream()
        .filter(span -> span.isRoot() || !byId(trace).containsKey(span.parentSpanId()))
        .sorted(Comparator.comparingLong(ReceivedSpan::startNanos))
        .forEach(root -> append(text, root, trace, start, 0));
    return text.toString();
  }

  private static void append(
      StringBuilder text, ReceivedSpan span, List<ReceivedSpan> trace, long start, int depth) {
    text.append("  ".repeat(depth))
        .append(
            "%s [%s] %s +%d ms, %d ms%s%n"
                .formatted(
                    span.name(),
                    span.service(),
                    span.kind(),
                    (span.startNanos() - start) / 1_000_000,
                    (span.endNanos() - span.startNanos()) / 1_000_000,
                    span.error() ? " ERROR" : ""));
    trace.stream()
        .filter(child -> child.parentSpanId().equals(span.spanId()))
        .sorted(Comparator.comparingLong(ReceivedSpan::startNanos))
        .forEach(child -> append(text, child, trace, start, depth + 1));
  }
}
