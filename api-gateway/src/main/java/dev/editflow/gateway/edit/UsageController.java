package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.UserLimits;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.usage.UsageSnapshot;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/usage}: the caller's consumption today, what is left of the global daily budget,
 * and the limits that apply.
 */
@RestController
@Tag(name = "usage")
class UsageController {

  @Schema(name = "Usage", description = "The caller's usage today (UTC) and the limits.")
  record UsageView(
      LocalDate day,
      @Schema(description = "Unfinished jobs now", example = "1") int activeJobs,
      @Schema(description = "Images asked for today", example = "6") int imagesToday,
      @Schema(example = "0.90") BigDecimal estimatedCostTodayUsd,
      @Schema(
              description = "What is left today of the service's daily budget, shared by all users",
              example = "42.15")
          BigDecimal budgetLeftTodayUsd,
      Limits limits) {}

  @Schema(name = "UsageLimits")
  record Limits(
      @Schema(example = "20") int maxActiveJobs,
      @Schema(example = "200") int dailyImages,
      @Schema(example = "120") int requestsPerMinute,
      @Schema(description = "The service's daily budget, shared by all users", example = "50")
          BigDecimal dailyBudgetUsd) {}

  private final Usage usage;
  private final UserLimits userLimits;

  UsageController(Usage usage, UserLimits userLimits) {
    this.usage = usage;
    this.userLimits = userLimits;
  }

  @Operation(operationId = "getUsage", summary = "The caller's usage and limits")
  @GetMapping("/v1/usage")
  UsageView usage(@AuthenticationPrincipal Jwt caller) {
    return of(caller.getSubject());
  }

  /** The user's usage today and the limits that apply to them, overrides included. */
  UsageView of(String ownerId) {
    UsageSnapshot snapshot = usage.snapshot(ownerId);
    UserLimits.Effective limits = userLimits.of(ownerId);
    return new UsageView(
        snapshot.day(),
        snapshot.activeJobs(),
        snapshot.imagesToday(),
        snapshot.estimatedCostTodayUsd(),
        limits.dailyBudgetUsd().subtract(snapshot.globalSpendTodayUsd()).max(BigDecimal.ZERO),
        new Limits(
            limits.maxActiveJobs(),
            limits.dailyImages(),
            limits.requestsPerMinute(),
            limits.dailyBudgetUsd()));
  }
}
