package dev.editflow.fal;

import java.net.URI;
import java.time.Duration;

/**
 * How the client talks to fal.
 *
 * @param baseUrl the queue host: {@code https://queue.fal.run}, or a fal-simulator
 * @param connectTimeout the longest wait for a connection
 * @param requestTimeout the longest wait for one response
 * @param maxRetries retries of a retryable failure before giving up
 * @param retryBase the first retry delay; each next one doubles, with ±25 % jitter
 * @param retryCap the longest retry delay, also the cap on a server's Retry-After
 */
public record FalClientSettings(
    URI baseUrl,
    FalKey key,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration retryBase,
    Duration retryCap) {

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
