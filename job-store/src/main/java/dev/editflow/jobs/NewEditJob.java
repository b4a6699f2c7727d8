package dev.editflow.jobs;

import dev.editflow.model.EditJobId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway stores when it accepts a job.
 *
 * @param tier the owner's tier: its weight buys a share of the fal account's slots
 */
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
    Instant deadlineAt,
    String tier) {

  /** Every user is in this tier unless their token says otherwise. */
  public static final String DEFAULT_TIER = "free";

  public NewEditJob {
    inputs = List.copyOf(inputs);
  }

  /** A job of a user in the {@link #DEFAULT_TIER}. */
  public NewEditJob(
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
    this(
        id,
        ownerId,
        prompt,
        model,
        parameters,
        inputs,
        webhookUrl,
        idempotencyKey,
        requestFingerprint,
        estimatedCostUsd,
        deadlineAt,
        DEFAULT_TIER);
  }
}
