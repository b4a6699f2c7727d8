package dev.editflow.gateway.lifecycle;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.model.EditJobId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code DELETE /v1/edits/{id}}: the owner removes an ended job and its files. */
@RestController
@Tag(name = "edits")
class EditDeletionController {

  private final EditDeletion deletion;

  EditDeletionController(EditDeletion deletion) {
    this.deletion = deletion;
  }

  @Operation(
      operationId = "deleteEdit",
      summary = "Delete an ended job and its files",
      description =
          "Removes the job's outputs and the uploads only it used from the bucket; the job is no"
              + " longer listed or readable (a tombstone stays for accounting). Idempotent: a"
              + " deleted job answers 204 again. A job still running answers 409 JOB_NOT_FINISHED:"
              + " cancel it first.")
  @ApiResponse(responseCode = "204", description = "Deleted (now or before)")
  @ProblemResponses({ApiError.JOB_NOT_FOUND, ApiError.JOB_NOT_FINISHED})
  @DeleteMapping("/v1/edits/{id}")
  ResponseEntity<Void> delete(@PathVariable String id, @AuthenticationPrincipal Jwt caller) {
    if (!EditJobId.isWellFormed(id)) {
      throw new RequestRejected(ApiError.JOB_NOT_FOUND, "No such edit job");
    }
    deletion.delete(new EditJobId(id), caller.getSubject());
    return ResponseEntity.noContent().build();
  }
}
