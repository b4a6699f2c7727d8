package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
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
class EditController {

  record EditPage(List<EditView> items, @Nullable String nextCursor) {}

  private final EditSubmission submission;
  private final EditJobs jobs;
  private final EditViews views;

  EditController(EditSubmission submission, EditJobs jobs, EditViews views) {
    this.submission = submission;
    this.jobs = jobs;
    this.views = views;
  }

  @PostMapping("/v1/edits")
  ResponseEntity<EditView> create(
      @Valid @RequestBody EditForm form,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
      @AuthenticationPrincipal Jwt caller) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
      throw RequestRejected.field("Idempotency-Key", "must be 1 to 255 characters");
    }
    EditSubmission.Outcome outcome = submission.submit(form, caller.getSubject(), idempotencyKey);
    EditView view = views.of(outcome.job());
    URI location = URI.create("/v1/edits/" + view.id());
    return outcome.replayed()
        ? ResponseEntity.ok().location(location).body(view)
        : ResponseEntity.accepted().location(location).body(view);
  }

  @GetMapping("/v1/edits/{id}")
  EditView get(@PathVariable String id, @AuthenticationPrincipal Jwt caller) {
    return views.of(owned(id, caller));
  }

  @GetMapping("/v1/edits")
  EditPage list(
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(required = false) @Nullable String cursor,
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
    List<EditJob> page = jobs.listOwned(caller.getSubject(), wanted, limit + 1, decode(cursor));
    List<EditJob> items = page.size() > limit ? page.subList(0, limit) : page;
    String next = page.size() > limit ? encode(items.getLast().id()) : null;
    return new EditPage(items.stream().map(views::of).toList(), next);
  }

  /**
   * {@code 202} with the job when this call started its cancellation, {@code 200} with the job when
   * it was already cancelled (a repeated call), {@code 409 ALREADY_FINISHED} when it ended
   * otherwise and there is nothing left to cancel.
   */
  @PostMapping("/v1/edits/{id}/cancel")
  ResponseEntity<EditView> cancel(@PathVariable String id, @AuthenticationPrincipal Jwt caller) {
    EditJob job = owned(id, caller);
    boolean started =
        jobs.end(
            job.id(),
            JobStatus.CANCELLED,
            ErrorCode.CANCELLED,
            "user:" + caller.getSubject(),
            "cancelled by its owner");
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
    if (!EditJobId.isWellFormed(id)) {
      throw new RequestRejected(ApiError.JOB_NOT_FOUND, "No edit job " + abbreviate(id));
    }
    return jobs.findOwned(new EditJobId(id), caller.getSubject())
        .orElseThrow(() -> new RequestRejected(ApiError.JOB_NOT_FOUND, "No edit job " + id));
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

  private static String abbreviate(String id) {
    return id.length() > 40 ? id.substring(0, 40) + "…" : id;
  }
}
