package dev.editflow.gateway.admin;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.UserLimits;
import dev.editflow.jobs.usage.LimitOverrides;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.usage.UsageSnapshot;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A user's usage today and the limits that apply to them, which an operator may override. */
@RestController
@Tag(name = "admin")
@SecurityRequirement(name = "operator")
class AdminUserController {

  @Schema(name = "AdminUserLimits", description = "Limits; in overrides, null keeps the default.")
  record Limits(
      @Schema(example = "20") @Nullable @Min(0) @Max(100_000) Integer maxActiveJobs,
      @Schema(example = "200") @Nullable @Min(0) @Max(10_000_000) Integer dailyImages,
      @Schema(example = "120") @Nullable @Min(1) @Max(1_000_000) Integer requestsPerMinute) {

    LimitOverrides overrides() {
      return new LimitOverrides(maxActiveJobs, dailyImages, requestsPerMinute);
    }

    static Limits of(LimitOverrides o) {
      return new Limits(o.maxActiveJobs(), o.dailyImages(), o.requestsPerMinute());
    }
  }

  @Schema(name = "AdminUserUsage")
  record UserUsage(
      String userId,
      LocalDate day,
      int activeJobs,
      int imagesToday,
      BigDecimal estimatedCostTodayUsd,
      @Schema(description = "What applies now: the defaults with the overrides on top")
          Limits effective,
      @Schema(description = "The service-wide defaults (editflow.gateway.limits.*)")
          Limits defaults,
      @Schema(description = "What an operator set for this user") Limits overrides,
      @Schema(description = "The service's daily budget, shared by all users")
          BigDecimal dailyBudgetUsd) {}

  private final Usage usage;
  private final UserLimits userLimits;
  private final GatewaySettings settings;
  private final AdminAudit audit;

  AdminUserController(
      Usage usage, UserLimits userLimits, GatewaySettings settings, AdminAudit audit) {
    this.usage = usage;
    this.userLimits = userLimits;
    this.settings = settings;
    this.audit = audit;
  }

  @Operation(operationId = "adminGetUserUsage", summary = "A user's usage today and their limits")
  @ProblemResponses(ApiError.FORBIDDEN)
  @GetMapping("/admin/v1/users/{id}/usage")
  UserUsage usage(@PathVariable String id) {
    UsageSnapshot snapshot = usage.snapshot(id);
    UserLimits.Effective limits = userLimits.of(id);
    GatewaySettings.Limits defaults = settings.limits();
    return new UserUsage(
        id,
        snapshot.day(),
        snapshot.activeJobs(),
        snapshot.imagesToday(),
        snapshot.estimatedCostTodayUsd(),
        new Limits(limits.maxActiveJobs(), limits.dailyImages(), limits.requestsPerMinute()),
        new Limits(defaults.maxActiveJobs(), defaults.dailyImages(), defaults.requestsPerMinute()),
        Limits.of(limits.overrides()),
        limits.dailyBudgetUsd());
  }

  @Operation(
      operationId = "adminSetUserLimits",
      summary = "Override a user's limits",
      description =
          "Replaces the user's overrides: a null field keeps the default, all null restores the"
              + " defaults. Applies to the user's next request on every replica. Idempotent;"
              + " audited.")
  @ProblemResponses(ApiError.FORBIDDEN)
  @PutMapping("/admin/v1/users/{id}/limits")
  UserUsage setLimits(
      @PathVariable String id,
      @Valid @RequestBody Limits limits,
      @AuthenticationPrincipal Jwt operator) {
    usage.setOverrides(id, limits.overrides(), AdminAudit.actor(operator));
    audit.record(operator, "user.limits", "user:" + id, limits.toString());
    return usage(id);
  }
}
