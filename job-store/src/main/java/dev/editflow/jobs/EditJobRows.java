package dev.editflow.jobs;

import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads rows of {@code edit_job}, {@code edit_output} and {@code edit_job_transition} into their
 * records, for the job core and for the services' own queries: select {@link #COLUMNS} and map with
 * {@link #job}.
 */
public final class EditJobRows {

  /** The columns {@link #job} reads. */
  public static final String COLUMNS =
      """
      id, owner_id, status, prompt, model, parameters, inputs, webhook_url, idempotency_key,
      request_fingerprint, attempt, submit_started_at, fal_request_id, fal_status_url,
      fal_response_url, fal_cancel_url, poll_count, expected_outputs, fal_cancel_pending,
      error_code, error_message, estimated_cost_usd, deadline_at, created_at, updated_at,
      trace_parent, tier
      """;

  private static final TypeReference<List<EditInput>> INPUT_LIST = new TypeReference<>() {};

  private final JsonMapper json;

  public EditJobRows(JsonMapper json) {
    // Stored JSON may carry fields a newer version wrote; reading must not depend on app settings.
    this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  }

  /** A {@code jsonb} column's value as stored. */
  public String toJson(Object value) {
    return json.writeValueAsString(value);
  }

  /** A {@code jsonb} column's value, read leniently. */
  public <T> T fromJson(String stored, Class<T> type) {
    return json.readValue(stored, type);
  }

  public EditJob job(ResultSet rs, int row) throws SQLException {
    Timestamp submitStarted = rs.getTimestamp("submit_started_at");
    String errorCode = rs.getString("error_code");
    int expected = rs.getInt("expected_outputs");
    Integer expectedOutputs = rs.wasNull() ? null : expected;
    return new EditJob(
        new EditJobId(rs.getString("id")),
        rs.getString("owner_id"),
        JobStatus.valueOf(rs.getString("status")),
        rs.getString("prompt"),
        rs.getString("model"),
        json.readValue(rs.getString("parameters"), EditParameters.class),
        json.readValue(rs.getString("inputs"), INPUT_LIST),
        rs.getString("webhook_url"),
        rs.getString("idempotency_key"),
        rs.getString("request_fingerprint"),
        rs.getInt("attempt"),
        submitStarted == null ? null : submitStarted.toInstant(),
        falRequest(rs),
        rs.getInt("poll_count"),
        expectedOutputs,
        rs.getBoolean("fal_cancel_pending"),
        errorCode == null ? null : ErrorCode.valueOf(errorCode),
        rs.getString("error_message"),
        rs.getBigDecimal("estimated_cost_usd"),
        rs.getTimestamp("deadline_at").toInstant(),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getString("trace_parent"),
        rs.getString("tier"));
  }

  /** The job's fal request from the {@code fal_*} columns, null if none is recorded. */
  public static @Nullable FalRequest falRequest(ResultSet rs) throws SQLException {
    String falRequestId = rs.getString("fal_request_id");
    return falRequestId == null
        ? null
        : new FalRequest(
            falRequestId,
            rs.getString("fal_status_url"),
            rs.getString("fal_response_url"),
            rs.getString("fal_cancel_url"));
  }

  static ArchivedOutput output(ResultSet rs, int row) throws SQLException {
    return new ArchivedOutput(
        rs.getInt("output_index"),
        rs.getString("object_key"),
        rs.getString("content_type"),
        rs.getInt("width"),
        rs.getInt("height"),
        rs.getLong("bytes"),
        rs.getString("sha256"),
        rs.getTimestamp("archived_at").toInstant());
  }

  static JobTransition transition(ResultSet rs) throws SQLException {
    return new JobTransition(
        rs.getLong("id"),
        status(rs.getString("from_status")),
        JobStatus.valueOf(rs.getString("to_status")),
        rs.getString("actor"),
        rs.getString("reason"),
        rs.getTimestamp("at").toInstant());
  }

  static @Nullable JobStatus status(@Nullable String name) {
    return name == null ? null : JobStatus.valueOf(name);
  }
}
