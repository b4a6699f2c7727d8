package dev.editflow.jobs;

import dev.editflow.model.EditJobId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the gateway stores when it accepts a job. */
public record NewEditJob(
    EditJobId id,
    String ownerId,
    String prompt,
    String model,
    EditParameters parameters,
    List<EditInput> inputs,
    @Nullable String webhookUrl,
    @Nullable String idempotencyKey,
    @Nullable String requestFingerprint,
    BigDecimal estimatedCostUsd,
    Instant deadlineAt) {

  public NewEditJob {
    inputs = List.copyOf(inputs);
  }
}
