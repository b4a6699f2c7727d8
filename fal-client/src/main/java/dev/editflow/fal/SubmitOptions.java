package dev.editflow.fal;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * fal platform headers of a submit.
 *
 * @param startTimeout {@code X-Fal-Request-Start-Timeout}: fal gives up (504) if the request has
 *     not started by then
 * @param lowPriority {@code X-Fal-Queue-Priority: low}
 * @param outputLifetime {@code X-Fal-Object-Lifecycle-Preference}: how long fal keeps the outputs
 * @param webhookUrl {@code ?fal_webhook=}: fal calls it when the request finishes
 */
public record SubmitOptions(
    @Nullable Duration startTimeout,
    boolean lowPriority,
    @Nullable Duration outputLifetime,
    @Nullable URI webhookUrl) {

  public static SubmitOptions none() {
    return new SubmitOptions(null, false, null, null);
  }
}
