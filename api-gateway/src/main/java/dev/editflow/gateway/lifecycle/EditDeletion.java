package dev.editflow.gateway.lifecycle;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.GatewayMetrics;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.model.EditJobId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An owner deletes an ended job: its output files and the uploads only it used leave the bucket
 * first, then the job becomes a tombstone (id, owner, status, cost, timestamps and transitions stay
 * for accounting and audit; prompt, inputs, outputs and webhook URL go) that the API no longer
 * shows. If the bucket fails half-way nothing is marked and the owner simply deletes again.
 */
@Component
class EditDeletion {

  private final EditJobs jobs;
  private final BucketFiles files;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final GatewayMetrics metrics;
  private final Clock clock;

  EditDeletion(
      EditJobs jobs,
      BucketFiles files,
      JdbcClient jdbc,
      TransactionTemplate transactions,
      GatewayMetrics metrics,
      Clock clock) {
    this.jobs = jobs;
    this.files = files;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Deletes the owner's ended job; a job deleted before is left as it is. */
  void delete(EditJobId id, String ownerId) {
    EditJob job =
        jobs.find(id)
            .filter(j -> j.ownerId().equals(ownerId))
            .orElseThrow(
                () -> new RequestRejected(ApiError.JOB_NOT_FOUND, "No edit job " + id.value()));
    if (isDeleted(id)) {
      return;
    }
    if (!job.status().isTerminal()) {
      throw new RequestRejected(
          ApiError.JOB_NOT_FINISHED,
          "Edit job " + id.value() + " is " + job.status() + ": cancel it first, then delete it");
    }
    int outputs = files.removeOutputs(id);
    List<String> uploadIds =
        job.inputs().stream().map(EditInput::uploadId).filter(Objects::nonNull).toList();
    List<BucketFiles.StoredUpload> uploads = files.uploadsOnlyUsedBy(id, ownerId, uploadIds);
    uploads.forEach(upload -> files.remove(upload.objectKey()));
    transactions.executeWithoutResult(
        tx -> {
          jdbc.sql("delete from edit_output where job_id = :id").param("id", id.value()).update();
          if (!uploads.isEmpty()) {
            jdbc.sql("delete from upload where id in (:ids)")
                .param("ids", uploads.stream().map(BucketFiles.StoredUpload::id).toList())
                .update();
          }
          jdbc.sql(
                  """
                  update edit_job set deleted_at = :now, outputs_purged_at = :now, prompt = '',
                    inputs = '[]'::jsonb, webhook_url = null, fal_outputs = null
                  where id = :id and deleted_at is null
                  """)
              .param("now", Timestamp.from(clock.instant()))
              .param("id", id.value())
              .update();
        });
    metrics.filesDeleted("output", "owner-delete", outputs);
    metrics.filesDeleted("input", "owner-delete", uploads.size());
  }

  private boolean isDeleted(EditJobId id) {
    return jdbc.sql("select deleted_at is not null from edit_job where id = :id")
        .param("id", id.value())
        .query(Boolean.class)
        .single();
  }
}
