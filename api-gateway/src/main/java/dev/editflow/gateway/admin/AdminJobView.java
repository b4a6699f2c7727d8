package dev.editflow.gateway.admin;

import dev.editflow.gateway.webhook.DeliveryView;
import dev.editflow.jobs.ArchivedOutput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.JobTransition;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Everything an operator needs to know about one job, whoever owns it. */
@Schema(name = "AdminJob")
record AdminJobView(
    String id,
    String ownerId,
    JobStatus status,
    String model,
    String prompt,
    @Schema(description = "The attempt at fal, from 1") int attempt,
    @Nullable String falRequestId,
    @Schema(description = "Looks at fal's status of this attempt") int pollCount,
    @Schema(description = "Set while the worker is submitting the attempt")
        @Nullable Instant submitStartedAt,
    @Schema(description = "fal may still run a request the job no longer wants")
        boolean falCancelPending,
    @Nullable ErrorCode errorCode,
    BigDecimal estimatedCostUsd,
    Instant deadlineAt,
    Instant createdAt,
    Instant updatedAt,
    List<TransitionView> transitions,
    List<OutputView> outputs,
    List<DeliveryView> webhookDeliveries,
    List<ActionView> adminActions) {

  @Schema(name = "AdminJobTransition")
  record TransitionView(
      long sequence,
      @Nullable JobStatus from,
      JobStatus to,
      @Schema(example = "operator:ops") String actor,
      @Nullable String reason,
      Instant at) {

    static TransitionView of(JobTransition t) {
      return new TransitionView(t.sequence(), t.from(), t.to(), t.actor(), t.reason(), t.at());
    }
  }

  @Schema(name = "AdminJobOutput")
  record OutputView(
      int index, String objectKey, String contentType, long bytes, Instant archivedAt) {

    static OutputView of(ArchivedOutput o) {
      return new OutputView(o.index(), o.objectKey(), o.contentType(), o.bytes(), o.archivedAt());
    }
  }

  @Schema(name = "AdminAction")
  record ActionView(
      String operator,
      @Schema(example = "job.redrive") String action,
      @Nullable String detail,
      Instant at) {

    static ActionView of(AdminAudit.Action a) {
      return new ActionView(a.operator(), a.action(), a.detail(), a.at());
    }
  }

  /** One row of the stuck-jobs list. */
  @Schema(name = "AdminJobSummary")
  record Summary(
      String id,
      String ownerId,
      JobStatus status,
      int attempt,
      @Nullable String falRequestId,
      Instant createdAt,
      @Schema(description = "Unchanged since") Instant updatedAt,
      Instant deadlineAt) {

    static Summary of(EditJob job) {
      return new Summary(
          job.id().value(),
          job.ownerId(),
          job.status(),
          job.attempt(),
          job.falRequest() == null ? null : job.falRequest().requestId(),
          job.createdAt(),
          job.updatedAt(),
          job.deadlineAt());
    }
  }
}
