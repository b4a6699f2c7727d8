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
 * @param noRetry {@code X-Fal-No-Retry: 1}: fal must not retry the request on its side
 * @param storePayloads {@code false} sends {@code X-Fal-Store-IO: 0}: fal keeps no request or
 *     response JSON (results then stay fetchable only for minutes)
 */
public record SubmitOptions(
    @Nullable Duration startTimeout,
    boolean lowPriority,
    @Nullable Duration outputLifetime,
    @Nullable URI webhookUrl,
    boolean noRetry,
    boolean storePayloads) {

  public SubmitOptions(
      @Nullable Duration startTimeout,
      boolean lowPriority,
      @Nullable Duration outputLifetime,
      @Nullable URI webhookUrl) {
    this(startTimeout, lowPriority, outputLifetime, webhookUrl, false, true);
  }

  public static SubmitOptions none() {
    return new SubmitOptions(null, false, null, null);
  }
}
