package dev.editflow.gateway.admin;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.gateway.webhook.DeliveryView;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.StuckJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any user's job for operators: its whole story, the jobs stuck in a state, and the two things an
 * operator may do to one: re-drive it the way the sweepers do, or cancel it.
 */
@RestController
@Tag(name = "admin")
@SecurityRequirement(name = "operator")
class AdminJobController {

  @Schema(name = "AdminJobPage", description = "Stuck jobs, longest unchanged first.")
  record JobPage(
      List<AdminJobView.Summary> items,
      @Schema(description = "Pass as cursor for the next page; null on the last page")
          @Nullable String nextCursor) {}

  @Schema(name = "RedriveOutcome")
  record RedriveOutcome(
      String jobId,
      JobStatus status,
      @Schema(description = "false if the job moved on before the re-drive; nothing was sent")
          boolean redriven,
      @Schema(example = "EditRequested sent again") String action) {}

  private final EditJobs jobs;
  private final AdminJobQueries queries;
  private final StuckJobs stuck;
  private final ClientWebhooks webhooks;
  private final AdminAudit audit;
  private final Clock clock;

  AdminJobController(
      EditJobs jobs,
      AdminJobQueries queries,
      StuckJobs stuck,
      ClientWebhooks webhooks,
      AdminAudit audit,
      Clock clock) {
    this.jobs = jobs;
    this.queries = queries;
    this.stuck = stuck;
    this.webhooks = webhooks;
    this.audit = audit;
    this.clock = clock;
  }

  @Operation(
      operationId = "adminGetJob",
      summary = "Any job with its transitions, fal request, outputs, webhooks and operator actions")
  @ProblemResponses({ApiError.FORBIDDEN, ApiError.JOB_NOT_FOUND})
  @GetMapping("/admin/v1/jobs/{id}")
  AdminJobView get(@PathVariable String id) {
    EditJob job = job(id);
    return new AdminJobView(
        job.id().value(),
        job.ownerId(),
        job.status(),
        job.model(),
        job.prompt(),
        job.attempt(),
        job.falRequest() == null ? null : job.falRequest().requestId(),
        job.pollCount(),
        job.submitStartedAt(),
        job.falCancelPending(),
        job.errorCode(),
        job.estimatedCostUsd(),
        job.deadlineAt(),
        job.createdAt(),
        job.updatedAt(),
        jobs.transitions(job.id(), 0).stream().map(AdminJobView.TransitionView::of).toList(),
        jobs.outputs(job.id()).stream().map(AdminJobView.OutputView::of).toList(),
        webhooks.ofJob(job.id()).stream().map(DeliveryView::of).toList(),
        audit.on(target(job.id())).stream().map(AdminJobView.ActionView::of).toList());
  }

  @Operation(
      operationId = "adminListStuckJobs",
      summary = "Jobs in a state unchanged for longer than olderThan",
      description = "Longest unchanged first; follow nextCursor until it is null.")
  @ProblemResponses({ApiError.FORBIDDEN, ApiError.INVALID_CURSOR})
  @GetMapping("/admin/v1/jobs")
  JobPage stuck(
      @Parameter(description = "The state", schema = @Schema(ref = "JobStatus")) @RequestParam
          String state,
      @Parameter(
              description = "ISO-8601 duration the job has been unchanged for at least",
              example = "PT10M")
          @RequestParam(defaultValue = "PT10M")
          String olderThan,
      @Parameter(
              description = "Jobs per page",
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "50"))
          @RequestParam(defaultValue = "50")
          int limit,
      @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    JobStatus status;
    try {
      status = JobStatus.valueOf(state);
    } catch (IllegalArgumentException e) {
      throw RequestRejected.field("state", "must be one of " + List.of(JobStatus.values()));
    }
    Duration quiet;
    try {
      quiet = Duration.parse(olderThan);
    } catch (DateTimeParseException e) {
      throw RequestRejected.field("olderThan", "must be an ISO-8601 duration such as PT10M");
    }
    if (quiet.isNegative()) {
      throw RequestRejected.field("olderThan", "must not be negative");
    }
    if (limit < 1 || limit > 500) {
      throw RequestRejected.field("limit", "must be between 1 and 500");
    }
    Cursor after = Cursor.decode(cursor);
    List<EditJob> page =
        queries.unchangedBefore(
            status,
            clock.instant().minus(quiet),
            limit + 1,
            after == null ? null : after.updatedAt(),
            after == null ? null : after.id());
    List<EditJob> items = page.size() > limit ? page.subList(0, limit) : page;
    String next =
        page.size() > limit
            ? new Cursor(items.getLast().updatedAt(), items.getLast().id()).encode()
            : null;
    return new JobPage(items.stream().map(AdminJobView.Summary::of).toList(), next);
  }

  @Operation(
      operationId = "adminRedriveJob",
      summary = "Re-drive a job the way the sweepers do",
      description =
          "QUEUED: its EditRequested is sent again; SUBMITTED or IN_PROGRESS: the worker looks at"
              + " fal at once; ARCHIVING: its EditCompleted is sent again. Every consumer is"
              + " idempotent, so a repeated re-drive is harmless. Audited.")
  @ApiResponse(responseCode = "202", description = "Re-driven (or the job moved on meanwhile)")
  @ProblemResponses({ApiError.FORBIDDEN, ApiError.JOB_NOT_FOUND, ApiError.NOTHING_TO_REDRIVE})
  @PostMapping("/admin/v1/jobs/{id}/redrive")
  ResponseEntity<RedriveOutcome> redrive(
      @PathVariable String id, @AuthenticationPrincipal Jwt operator) {
    EditJob job = job(id);
    String actor = AdminAudit.actor(operator);
    boolean redriven;
    String action;
    switch (job.status()) {
      case QUEUED -> {
        redriven = stuck.redrive(job, "re-driven by " + actor);
        action = "EditRequested sent again";
      }
      case SUBMITTED, IN_PROGRESS -> {
        redriven = queries.pollNow(job.id());
        action = "the worker looks at fal now";
      }
      case ARCHIVING -> {
        redriven = stuck.redriveArchiving(job.id());
        action = "EditCompleted sent again";
      }
      default ->
          throw new RequestRejected(
              ApiError.NOTHING_TO_REDRIVE, "Edit job " + id + " already ended " + job.status());
    }
    audit.record(
        operator,
        "job.redrive",
        target(job.id()),
        (redriven ? "" : "not needed, job moved on: ") + action + " (was " + job.status() + ")");
    return ResponseEntity.accepted()
        .body(new RedriveOutcome(id, job(id).status(), redriven, action));
  }

  @Operation(
      operationId = "adminCancelJob",
      summary = "Cancel any job, recorded with the operator as actor",
      description =
          "As the owner's cancel: 202 when this call cancelled it, 200 when it already was"
              + " CANCELLED, 409 ALREADY_FINISHED when it ended otherwise. Audited.")
  @ApiResponse(responseCode = "202", description = "Cancelled now")
  @ApiResponse(responseCode = "200", description = "Already CANCELLED: the unchanged job")
  @ProblemResponses({ApiError.FORBIDDEN, ApiError.JOB_NOT_FOUND, ApiError.ALREADY_FINISHED})
  @PostMapping("/admin/v1/jobs/{id}/cancel")
  ResponseEntity<AdminJobView> cancel(
      @PathVariable String id, @AuthenticationPrincipal Jwt operator) {
    EditJob job = job(id);
    boolean cancelled =
        jobs.move(
            job.id(),
            new Transition.Cancelled(AdminAudit.actor(operator), "cancelled by an operator"));
    audit.record(
        operator,
        "job.cancel",
        target(job.id()),
        cancelled ? "cancelled (was " + job.status() + ")" : "not cancelled: " + job.status());
    AdminJobView now = get(id);
    if (cancelled) {
      return ResponseEntity.accepted().body(now);
    }
    if (now.status() == JobStatus.CANCELLED) {
      return ResponseEntity.ok(now);
    }
    throw new RequestRejected(
        ApiError.ALREADY_FINISHED, "Edit job " + id + " already ended " + now.status());
  }

  private EditJob job(String id) {
    if (!EditJobId.isWellFormed(id)) {
      throw new RequestRejected(ApiError.JOB_NOT_FOUND, "No edit job with that id");
    }
    return jobs.find(new EditJobId(id))
        .orElseThrow(() -> new RequestRejected(ApiError.JOB_NOT_FOUND, "No edit job " + id));
  }

  static String target(EditJobId id) {
    return "job:" + id.value();
  }

  /** Where a page of stuck jobs ends: the last job's last change and id. */
  private record Cursor(Instant updatedAt, EditJobId id) {

    String encode() {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString((updatedAt + " " + id.value()).getBytes(StandardCharsets.UTF_8));
    }

    static @Nullable Cursor decode(@Nullable String cursor) {
      if (cursor == null) {
        return null;
      }
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(" ");
        if (parts.length == 2 && EditJobId.isWellFormed(parts[1])) {
          return new Cursor(Instant.parse(parts[0]), new EditJobId(parts[1]));
        }
      } catch (IllegalArgumentException | DateTimeParseException e) {
        // falls through to the rejection
      }
      throw new RequestRejected(ApiError.INVALID_CURSOR, "Use the nextCursor of the previous page");
    }
  }
}
