package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.jobs.EditJob;
import dev.editflow.model.EditJobId;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * The caller's job named in a path: another user's job, a deleted one and a malformed id are all
 * indistinguishable from no job ({@code 404 JOB_NOT_FOUND}).
 */
@Component
public class OwnedJobs {

  private final JobsByOwner owners;

  OwnedJobs(JobsByOwner owners) {
    this.owners = owners;
  }

  public EditJob owned(String id, Jwt caller) {
    if (!EditJobId.isWellFormed(id)) {
      throw new RequestRejected(ApiError.JOB_NOT_FOUND, "No edit job " + abbreviate(id));
    }
    return owners
        .find(new EditJobId(id), caller.getSubject())
        .orElseThrow(() -> new RequestRejected(ApiError.JOB_NOT_FOUND, "No edit job " + id));
  }

  /** A path id, shortened for a problem's detail. */
  public static String abbreviate(String id) {
    return id.length() > 40 ? id.substring(0, 40) + "…" : id;
  }
}
