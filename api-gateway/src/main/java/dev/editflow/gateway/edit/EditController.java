package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The edit jobs of the caller. Another user's job is indistinguishable from no job: 404. */
@RestController
@Tag(name = "edits")
class EditController {

  @Schema(name = "EditPage", description = "A page of the caller's jobs, newest first.")
  record EditPage(
      List<EditView> items,
      @Schema(description = "Pass as cursor for the next page; null on the last page")
          @Nullable String nextCursor) {}

  private final EditSubmission submission;
  private final EditJobs jobs;
  private final JobsByOwner owners;
  private final EditViews views;
  private final OwnedJobs ownedJobs;

  EditController(
      EditSubmission submission,
      EditJobs jobs,
      JobsByOwner owners,
      EditViews views,
      OwnedJobs ownedJobs) {
    this.submission = submission;
    this.jobs = jobs;
    this.owners = owners;
    this.views = views;
    this.ownedJobs = ownedJobs;
  }

  @Operation(
      operationId = "createEdit",
      summary = "Ask for an edit",
      description =
          "Checks the request and its uploads, reserves the cost within the caller's limits and"
              + " stores the job; nothing is stored when a check fails. Send an Idempotency-Key"
              + " and retry with the same key: the same key and body answer the same job.")
  @ApiResponse(
      responseCode = "202",
      description = "Accepted: the job is stored and will be run",
      headers =
          @Header(
              name = "Location",
              description = "/v1/edits/{id}",
              schema = @Schema(type = "string")))
  @ApiResponse(
      responseCode = "200",
      description = "A repeat of an earlier request with the same Idempotency-Key: its job",
      headers =
          @Header(
              name = "Location",
              description = "/v1/edits/{id}",
              schema = @Schema(type = "string")))
  @ProblemResponses({
    ApiError.UNKNOWN_MODEL,
    ApiError.UPLOAD_NOT_FOUND,
    ApiError.UPLOAD_EXPIRED,
    ApiError.UPLOAD_INCOMPLETE,
    ApiError.UPLOAD_NOT_AN_IMAGE,
    ApiError.URL_NOT_ALLOWED,
    ApiError.WEBHOOK_URL_NOT_ALLOWED,
    ApiError.IDEMPOTENCY_KEY_REUSED,
    ApiError.IDEMPOTENCY_IN_FLIGHT,
    ApiError.RATE_LIMITED,
    ApiError.ACTIVE_JOBS_LIMIT,
    ApiError.DAILY_QUOTA_EXCEEDED,
    ApiError.BUDGET_EXHAUSTED
  })
  @PostMapping("/v1/edits")
  ResponseEntity<EditView> create(
      @Valid @RequestBody EditForm form,
      @Parameter(
              description =
                  "1 to 255 characters, unique per intended edit (a UUID): a retry with the same"
                      + " key and body answers the first job instead of creating another",
              example = "0b8e6c1e-2d4f-4f7a-9a55-3c1f7d2b9e10")
          @RequestHeader(name = "Idempotency-Key", required = false)
          @Nullable String idempotencyKey,
      @AuthenticationPrincipal Jwt caller) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
      throw RequestRejected.field("Idempotency-Key", "must be 1 to 255 characters");
    }
    EditSubmission.Outcome outcome =
        submission.submit(form, caller.getSubject(), Tiers.of(caller), idempotencyKey);
    EditView view = views.of(outcome.job());
    URI location = URI.create("/v1/edits/" + view.id());
    return outcome.replayed()
        ? ResponseEntity.ok().location(location).body(view)
        : ResponseEntity.accepted().location(location).body(view);
  }

  @Operation(
      operationId = "getEdit",
      summary = "One job of the caller",
      description =
          "Output URLs are presigned anew on every read. While the job waits for a free fal slot,"
              + " queuePosition is its place in the wait room.")
  @ProblemResponses(ApiError.JOB_NOT_FOUND)
  @GetMapping("/v1/edits/{id}")
  EditView get(@PathVariable String id, @AuthenticationPrincipal Jwt caller) {
    return views.withQueuePosition(owned(id, caller));
  }

  @Operation(
      operationId = "listEdits",
      summary = "The caller's jobs, newest first",
      description = "Follow nextCursor until it is null. A closed tab finds its jobs here.")
  @ProblemResponses(ApiError.INVALID_CURSOR)
  @GetMapping("/v1/edits")
  EditPage list(
      @Parameter(description = "Only jobs in this status", schema = @Schema(ref = "JobStatus"))
          @RequestParam(required = false)
          @Nullable String status,
      @Parameter(
              description = "Jobs per page",
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "20"))
          @RequestParam(defaultValue = "20")
          int limit,
      @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor,
      @AuthenticationPrincipal Jwt caller) {
    if (limit < 1 || limit > 100) {
      throw RequestRejected.field("limit", "must be between 1 and 100");
    }
    JobStatus wanted = null;
    if (status != null) {
      try {
        wanted = JobStatus.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw RequestRejected.field("status", "must be one of " + List.of(JobStatus.values()));
      }
    }
    List<EditJob> page = owners.list(caller.getSubject(), wanted, limit + 1, decode(cursor));
    List<EditJob> items = page.size() > limit ? page.subList(0, limit) : page;
    String next = page.size() > limit ? encode(items.getLast().id()) : null;
    return new EditPage(items.stream().map(views::of).toList(), next);
  }

  /**
   * {@code 202} with the job when this call started its cancellation, {@code 200} with the job when
   * it was already cancelled (a repeated call), {@code 409 ALREADY_FINISHED} when it ended
   * otherwise and there is nothing left to cancel.
   */
  @Operation(
      operationId = "cancelEdit",
      summary = "Cancel a job",
      description =
          "Idempotent. A job already submitted to fal is cancelled there too. A job that already"
              + " ended otherwise answers 409 ALREADY_FINISHED.")
  @ApiResponse(responseCode = "202", description = "Cancelled now")
  @ApiResponse(
      responseCode = "200",
      description = "Already CANCELLED: the unchanged job",
      content = @Content(schema = @Schema(implementation = EditView.class)))
  @ProblemResponses({ApiError.JOB_NOT_FOUND, ApiError.ALREADY_FINISHED})
  @PostMapping("/v1/edits/{id}/cancel")
  ResponseEntity<EditView> cancel(@PathVariable String id, @AuthenticationPrincipal Jwt caller) {
    EditJob job = owned(id, caller);
    boolean started =
        jobs.move(
            job.id(),
            new Transition.Cancelled("user:" + caller.getSubject(), "cancelled by its owner"));
    EditJob now = jobs.find(job.id()).orElseThrow();
    if (started) {
      return ResponseEntity.accepted().body(views.of(now));
    }
    if (now.status() == JobStatus.CANCELLED) {
      return ResponseEntity.ok(views.of(now));
    }
    throw new RequestRejected(
        ApiError.ALREADY_FINISHED, "Edit job " + id + " already ended " + now.status());
  }

  EditJob owned(String id, Jwt caller) {
    return ownedJobs.owned(id, caller);
  }

  private static String encode(EditJobId id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(id.value().getBytes(StandardCharsets.UTF_8));
  }

  private static @Nullable EditJobId decode(@Nullable String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (EditJobId.isWellFormed(id)) {
        return new EditJobId(id);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the rejection
    }
    throw new RequestRejected(ApiError.INVALID_CURSOR, "Use the nextCursor of the previous page");
  }
}
