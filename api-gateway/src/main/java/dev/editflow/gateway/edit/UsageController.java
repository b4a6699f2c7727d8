package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.usage.UsageSnapshot;
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
class UsageController {

  /**
   * @param budgetLeftTodayUsd what is left today of the global daily budget, shared by all users; a
   *     job whose estimated cost does not fit is refused with {@code BUDGET_EXHAUSTED}
   */
  record UsageView(
      LocalDate day,
      int activeJobs,
      int imagesToday,
      BigDecimal estimatedCostTodayUsd,
      BigDecimal budgetLeftTodayUsd,
      Limits limits) {}

  record Limits(
      int maxActiveJobs, int dailyImages, int requestsPerMinute, BigDecimal dailyBudgetUsd) {}

  private final Usage usage;
  private final GatewaySettings settings;

  UsageController(Usage usage, GatewaySettings settings) {
    this.usage = usage;
    this.settings = settings;
  }

  @GetMapping("/v1/usage")
  UsageView usage(@AuthenticationPrincipal Jwt caller) {
    UsageSnapshot snapshot = usage.snapshot(caller.getSubject());
    var limits = settings.limits();
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
