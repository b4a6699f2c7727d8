package dev.editflow.jobs;

import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditRequested;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What each {@link Transition} writes besides the status (its columns and the reason the history
 * records) and which message it announces. {@link EditJobs#move} calls it under the job's row lock,
 * once the state machine allows the move.
 */
final class TransitionWrites {

  /** What {@link EditJobs#move} reads of a job under its row lock. */
  record Locked(
      @Nullable JobStatus status,
      int attempt,
      boolean hasWebhook,
      boolean hasFalRequest,
      String model,
      Instant createdAt) {}

  /**
   * The columns and reason of a move.
   *
   * @param attempt the attempt the job must still be on, or {@literal null} for any
   */
  record Write(@Nullable Integer attempt, String reason, Map<String, ?> columns) {

    /**
     * The columns as the rest of an SQL {@code set} list ({@code , column = :column, ...}), their
     * values put in {@code params}.
     */
    String assignments(Map<String, Object> params) {
      StringBuilder sql = new StringBuilder();
      columns.forEach(
          (column, value) -> {
            boolean json = value instanceof JsonColumn;
            sql.append(", ").append(column).append(" = ");
            sql.append(json ? "cast(:" + column + " as jsonb)" : ":" + column);
            params.put(column, value instanceof JsonColumn j ? j.json() : value);
          });
      return sql.toString();
    }
  }

  /** A value written to a {@code jsonb} column. */
  record JsonColumn(String json) {}

  private final JdbcClient jdbc;
  private final EditJobRows rows;
  private final Outbox outbox;
  private final Clock clock;

  TransitionWrites(JdbcClient jdbc, EditJobRows rows, Outbox outbox, Clock clock) {
    this.jdbc = jdbc;
    this.rows = rows;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The write of {@code transition}, or {@literal null} if the job is not ready for it. */
  @Nullable Write write(EditJobId id, Transition transition, Locked job) {
    return switch (transition) {
      case Transition.Submitted s ->
          new Write(
              s.attempt(),
              "fal request " + s.request().requestId(),
              Map.of(
                  "fal_request_id", s.request().requestId(),
                  "fal_status_url", s.request().statusUrl(),
                  "fal_response_url", s.request().responseUrl(),
                  "fal_cancel_url", s.request().cancelUrl(),
                  "next_poll_at", Timestamp.from(s.nextPollAt()),
                  "poll_count", 0));
      case Transition.InProgress p -> new Write(null, "fal started the request", Map.of());
      case Transition.Archiving a ->
          new Write(
              a.completed().attempt(),
              "fal completed with " + a.completed().images().size() + " image(s)",
              Map.of(
                  "expected_outputs",
                  a.completed().images().size(),
                  "fal_outputs",
                  new JsonColumn(rows.toJson(a.completed()))));
      case Transition.Succeeded s -> succeeded(id);
      case Transition.Failed f ->
          new Write(
              null,
              f.code() + ": " + f.detail(),
              Map.of("error_code", f.code().name(), "error_message", f.code().userMessage()));
      case Transition.Retry r ->
          new Write(
              r.failedAttempt(),
              "retrying after " + r.cause(),
              clearingFalRequest(r.failedAttempt()));
      case Transition.Cancelled c -> ended(ErrorCode.CANCELLED, c.reason(), job);
      case Transition.TimedOut t -> ended(ErrorCode.DEADLINE_EXCEEDED, t.reason(), job);
    };
  }

  /** Sends the message the transition owes, in the transaction of the move. */
  void announce(EditJobId id, Transition transition) {
    switch (transition) {
      case Transition.Archiving a -> outbox.append(a.completed());
      case Transition.Retry r ->
          outbox.append(new EditRequested(id, r.failedAttempt() + 1, clock.instant()), r.delay());
      default -> {}
    }
  }

  /** Only once every expected output is recorded. */
  private @Nullable Write succeeded(EditJobId id) {
    long[] archived =
        jdbc.sql(
                """
                select j.expected_outputs, count(o.output_index), coalesce(sum(o.bytes), 0)
                from edit_job j left join edit_output o on o.job_id = j.id
                where j.id = :id group by j.expected_outputs
                """)
            .param("id", id.value())
            .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
            .optional()
            .orElse(null);
    if (archived == null || archived[0] != archived[1]) {
      return null;
    }
    return new Write(
        null, "archived " + archived[1] + " output(s), " + archived[2] + " bytes", Map.of());
  }

  /** If fal may still hold a request of the job, the worker is told to cancel it there. */
  private Write ended(ErrorCode code, String reason, Locked job) {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("error_code", code.name());
    columns.put("error_message", code.userMessage());
    if (job.hasFalRequest() && job.status() != null && job.status().isAtProvider()) {
      columns.put("fal_cancel_pending", true);
      columns.put("next_poll_at", Timestamp.from(clock.instant()));
    }
    return new Write(null, reason, columns);
  }

  private static Map<String, Object> clearingFalRequest(int failedAttempt) {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("attempt", failedAttempt + 1);
    columns.put("submit_started_at", null);
    // The next attempt waits for a slot of its own, in its turn.
    columns.put("fal_slot_granted", false);
    columns.put("waiting_for_fal_slot", false);
    columns.put("fal_request_id", null);
    columns.put("fal_status_url", null);
    columns.put("fal_response_url", null);
    columns.put("fal_cancel_url", null);
    columns.put("next_poll_at", null);
    columns.put("poll_count", 0);
    return columns;
  }
}
