package dev.editflow.model.message;

import dev.editflow.model.EditJobId;
import java.time.Instant;
import java.util.List;

/** fal finished a job successfully; its outputs still live on fal's CDN and must be archived. */
public record EditCompleted(
    EditJobId jobId,
    int attempt,
    String falRequestId,
    List<GeneratedImage> images,
    Instant completedAt)
    implements EditMessage {

  public EditCompleted {
    images = List.copyOf(images);
  }
}
