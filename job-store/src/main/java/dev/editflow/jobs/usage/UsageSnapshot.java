package dev.editflow.jobs.usage;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A user's consumption today (UTC) and the global spend, as {@code GET /v1/usage} shows it. */
public record UsageSnapshot(
    LocalDate day,
    int activeJobs,
    int imagesToday,
    BigDecimal estimatedCostTodayUsd,
    BigDecimal globalSpendTodayUsd) {}
