package dev.editflow.gateway.system;

import dev.editflow.jobs.usage.LimitOverrides;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.usage.UsageLimits;
import java.math.BigDecimal;
import org.springframework.stereotype.Component;

/**
 * The limits that apply to one user: the service-wide defaults ({@code editflow.gateway.limits.*}),
 * each replaced by an operator's override where one is set ({@code PUT
 * /admin/v1/users/{id}/limits}). Read on every limited request, so an override applies at once on
 * every replica.
 */
@Component
public class UserLimits {

  /** What applies to a user now, and which of it an operator set. */
  public record Effective(
      int requestsPerMinute,
      int maxActiveJobs,
      int dailyImages,
      BigDecimal dailyBudgetUsd,
      LimitOverrides overrides) {

    public UsageLimits forNewJob() {
      return new UsageLimits(maxActiveJobs, dailyImages, dailyBudgetUsd);
    }
  }

  private final Usage usage;
  private final GatewaySettings settings;

  UserLimits(Usage usage, GatewaySettings settings) {
    this.usage = usage;
    this.settings = settings;
  }

  public Effective of(String ownerId) {
    LimitOverrides overrides = usage.overridesOf(ownerId);
    GatewaySettings.Limits defaults = settings.limits();
    return new Effective(
        overrides.requestsPerMinuteOr(defaults.requestsPerMinute()),
        overrides.maxActiveJobsOr(defaults.maxActiveJobs()),
        overrides.dailyImagesOr(defaults.dailyImages()),
        defaults.dailyBudgetUsd(),
        overrides);
  }
}
