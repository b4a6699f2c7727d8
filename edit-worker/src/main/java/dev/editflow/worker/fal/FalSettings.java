package dev.editflow.worker.fal;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the worker reaches fal.
 *
 * @param baseUrl fal's queue host, or a fal-simulator
 * @param key the fal API key ({@code FAL_KEY}); held only by the worker, never logged
 * @param connectTimeout the longest wait for a connection to fal
 * @param requestTimeout the longest wait for one answer from fal
 * @param maxRetries retries of a 429/5xx/network failure inside one call
 */
@ConfigurationProperties("editflow.fal")
record FalSettings(
    @DefaultValue("https://queue.fal.run") URI baseUrl,
    String key,
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue("30s") Duration requestTimeout,
    @DefaultValue("3") int maxRetries) {

  @Override
  public String toString() {
    return "FalSettings[baseUrl=" + baseUrl + ", key=****]";
  }
}
