package dev.editflow.model.message;

import dev.editflow.model.EditJobId;

/** Every message editflow puts on the broker concerns exactly one edit job. */
public sealed interface EditMessage permits EditRequested, FalWebhookReceived, EditCompleted {

  EditJobId jobId();
}
