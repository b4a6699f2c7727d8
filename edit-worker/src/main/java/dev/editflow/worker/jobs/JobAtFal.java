package dev.editflow.worker.jobs;

import dev.editflow.jobs.EditJobRows;
import dev.editflow.model.EditJobId;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What tracking a job's fal request needs of its row: no prompt, inputs or parameters, so that
 * claiming hundreds of due jobs a round parses no JSON.
 *
 * @param submitStartedAt when the attempt was marked for submit, null if it was not (a webhook for
 *     an attempt marked but without a recorded request is an orphan to adopt)
 * @param updatedAt when the job last changed: for a job at fal, when it got there
 */
public record JobAtFal(
    EditJobId id,
    JobStatus status,
    String model,
    int attempt,
    @Nullable Instant submitStartedAt,
    @Nullable FalRequest falRequest,
    boolean falCancelPending,
    Instant deadlineAt,
    Instant updatedAt,
    @Nullable String traceParent) {

  static final String COLUMNS =
      """
      id, status, model, attempt, submit_started_at, fal_request_id, fal_status_url,
      fal_response_url, fal_cancel_url, fal_cancel_pending, deadline_at, updated_at, trace_parent
      """;

  static JobAtFal read(ResultSet rs, int row) throws SQLException {
    Timestamp submitStarted = rs.getTimestamp("submit_started_at");
    return new JobAtFal(
        new EditJobId(rs.getString("id")),
        JobStatus.valueOf(rs.getString("status")),
        rs.getString("model"),
        rs.getInt("attempt"),
        submitStarted == null ? null : submitStarted.toInstant(),
        EditJobRows.falRequest(rs),
        rs.getBoolean("fal_cancel_pending"),
        rs.getTimestamp("deadline_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getString("trace_parent"));
  }
}
