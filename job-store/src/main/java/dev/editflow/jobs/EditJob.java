package dev.editflow.jobs;

import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An edit job as stored. Read-only: its status changes only through {@link EditJobs#move}.
 *
 * @param traceParent the W3C trace context of the request that accepted the job: its later steps
 *     join that trace
 * @param tier the owner's tier when the job was accepted
 */
public record EditJob(
    EditJobId id,
    String ownerId,
    JobStatus status,
    String prompt,
    String model,
    EditParameters parameters,
    List<EditInput> inputs,
    @Nullable String webhookUrl,
    @Nullable String idempotencyKey,
    @Nullable String requestFingerprint,
    int attempt,
    @Nullable Instant submitStartedAt,
    @Nullable FalRequest falRequest,
    int pollCount,
    @Nullable Integer expectedOutputs,
    boolean falCancelPending,
    @Nullable ErrorCode errorCode,
    @Nullable String errorMessage,
    BigDecimal estimatedCostUsd,
    Instant deadlineAt,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String traceParent,
    String tier) {

  public EditJob {
    inputs = List.copyOf(inputs);
  }
}
