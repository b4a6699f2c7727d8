package dev.editflow.jobs.usage;

import org.jspecify.annotations.Nullable;

/**
 * Limits an operator set for one user; {@literal null} keeps the service-wide default.
 *
 * @param maxActiveJobs unfinished jobs the user may have at once
 * @param dailyImages images the user may request per UTC day
 * @param requestsPerMinute create and upload requests the user may make per minute
 */
public record LimitOverrides(
    @Nullable Integer maxActiveJobs,
    @Nullable Integer dailyImages,
    @Nullable Integer requestsPerMinute) {

  public static final LimitOverrides NONE = new LimitOverrides(null, null, null);

  public boolean isEmpty() {
    return maxActiveJobs == null && dailyImages == null && requestsPerMinute == null;
  }

  public int maxActiveJobsOr(int fallback) {
    return maxActiveJobs == null ? fallback : maxActiveJobs;
  }

  public int dailyImagesOr(int fallback) {
    return dailyImages == null ? fallback : dailyImages;
  }

  public int requestsPerMinuteOr(int fallback) {
    return requestsPerMinute == null ? fallback : requestsPerMinute;
  }
}
