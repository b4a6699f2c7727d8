package dev.editflow.gateway.edit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A job as clients see it: no internal detail (fal ids, raw errors) ever appears here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EditView(
    String id,
    String status,
    Instant createdAt,
    Instant updatedAt,
    String prompt,
    String model,
    int attempts,
    List<OutputView> outputs,
    @Nullable ErrorView error,
    BigDecimal estimatedCostUsd) {

  record OutputView(
      String url, String contentType, int width, int height, long bytes, String sha256) {}

  record ErrorView(String code, String message, boolean retryable) {}
}
