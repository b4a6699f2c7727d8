package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.jobs.ArchivedOutput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.FalWaitRoom;
import dev.editflow.model.JobStatus;
import dev.editflow.storage.ObjectUrls;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Renders jobs; output URLs are presigned GETs of our objects, signed anew on every read. */
@Component
class EditViews {

  private final EditJobs jobs;
  private final FalWaitRoom waitRoom;
  private final ObjectUrls objectUrls;
  private final GatewaySettings settings;

  EditViews(EditJobs jobs, FalWaitRoom waitRoom, ObjectUrls objectUrls, GatewaySettings settings) {
    this.jobs = jobs;
    this.waitRoom = waitRoom;
    this.objectUrls = objectUrls;
    this.settings = settings;
  }

  EditView of(EditJob job) {
    return of(job, null);
  }

  /** {@link #of(EditJob)} with the job's place in the wait room for a fal slot, if it waits. */
  EditView withQueuePosition(EditJob job) {
    return of(
        job, job.status() == JobStatus.QUEUED ? waitRoom.position(job.id()).orElse(null) : null);
  }

  private EditView of(EditJob job, @Nullable Long queuePosition) {
    List<EditView.OutputView> outputs =
        job.status() == JobStatus.SUCCEEDED
            ? jobs.outputs(job.id()).stream().map(this::output).toList()
            : List.of();
    return new EditView(
        job.id().value(),
        job.status(),
        job.createdAt(),
        job.updatedAt(),
        job.prompt(),
        job.model(),
        job.attempt(),
        outputs,
        job.errorCode() == null
            ? null
            : new EditView.ErrorView(
                job.errorCode(), job.errorCode().userMessage(), job.errorCode().retryable()),
        job.estimatedCostUsd(),
        queuePosition);
  }

  private EditView.OutputView output(ArchivedOutput output) {
    String url = objectUrls.get(output.objectKey(), settings.jobs().outputUrlTtl());
    return new EditView.OutputView(
        url,
        output.contentType(),
        output.width(),
        output.height(),
        output.bytes(),
        output.sha256());
  }
}
