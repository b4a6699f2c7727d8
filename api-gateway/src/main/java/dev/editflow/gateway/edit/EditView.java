package dev.editflow.gateway.edit;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A job as clients see it: no internal detail (fal ids, raw errors) ever appears here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Edit", description = "An edit job of the caller.")
record EditView(
    @Schema(example = "ed_01JD3Q7ZK2M8T6X4V9W0B5N1C3") String id,
    JobStatus status,
    Instant createdAt,
    Instant updatedAt,
    @Schema(example = "make the sky purple") String prompt,
    @Schema(example = "fal-ai/nano-banana-pro/edit") String model,
    @Schema(description = "Attempts at the model so far (a retryable failure starts another)")
        int attempts,
    @Schema(description = "The edited images, once SUCCEEDED") List<OutputView> outputs,
    @Schema(description = "Why the job FAILED, was CANCELLED or TIMED_OUT")
        @Nullable ErrorView error,
    @Schema(example = "0.30") BigDecimal estimatedCostUsd,
    @Schema(
            description =
                "Only in GET /v1/edits/{id}, only while the job waits in editflow's wait room for a"
                    + " free fal slot: its place in the serving order (1: the next free slot is"
                    + " its). Users take turns, weighted by tier, so a job of a user with nothing"
                    + " waiting may still go ahead of it: an estimate, not a promise",
            minimum = "1",
            example = "3")
        @Nullable Long queuePosition) {

  @Schema(name = "EditOutput", description = "One edited image in our bucket.")
  record OutputView(
      @Schema(
              description =
                  "A presigned GET of our bucket, signed anew on every read of the job; expires"
                      + " after editflow.gateway.jobs.output-url-ttl (15 min)")
          String url,
      @Schema(example = "image/png") String contentType,
      @Schema(example = "1024") int width,
      @Schema(example = "768") int height,
      @Schema(example = "1843200") long bytes,
      String sha256) {}

  @Schema(name = "EditError", description = "A failure, with a message safe to show to users.")
  record ErrorView(
      ErrorCode code,
      @Schema(example = "The request was blocked by the model's content policy.") String message,
      @Schema(description = "Whether submitting the same edit again may succeed")
          boolean retryable) {}
}
