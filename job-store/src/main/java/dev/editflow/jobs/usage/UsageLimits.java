package dev.editflow.jobs.usage;

import java.math.BigDecimal;

/**
 * The limits a new job must fit in.
 *
 * @param maxActiveJobs unfinished jobs one user may have at once
 * @param dailyImages images one user may request per UTC day (reserved on accept, released on
 *     failure or cancel)
 * @param dailyBudgetUsd estimated spend of all users together per UTC day
 */
public record UsageLimits(int maxActiveJobs, int dailyImages, BigDecimal dailyBudgetUsd) {}
