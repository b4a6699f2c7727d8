package dev.editflow.fal;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the client talks to fal; a Spring Boot application binds it from {@code editflow.fal.*}
 * ({@code @EnableConfigurationProperties(FalClientSettings.class)}).
 *
 * @param baseUrl the queue host: {@code https://queue.fal.run}, or a fal-simulator
 * @param key the fal API key ({@code key} or {@code key_id:key_secret}); never shown by {@link
 *     #toString()}
 * @param connectTimeout the longest wait for a connection
 * @param requestTimeout the longest wait for one response
 * @param maxRetries retries of a retryable failure before giving up
 * @param retryBase the first retry delay; each next one doubles, with ±25 % jitter
 * @param retryCap the longest retry delay, also the cap on a server's Retry-After
 */
@ConfigurationProperties("editflow.fal")
public record FalClientSettings(
    @DefaultValue("https://queue.fal.run") URI baseUrl,
    FalKey key,
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue("30s") Duration requestTimeout,
    @DefaultValue("3") int maxRetries,
    @DefaultValue("1s") Duration retryBase,
    @DefaultValue("30s") Duration retryCap) {

  public static FalClientSettings defaults(URI baseUrl, FalKey key) {
    return new FalClientSettings(
        baseUrl,
        key,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        3,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30));
  }
}
