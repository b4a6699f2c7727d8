package dev.editflow.falsim;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every knob of the simulator. Bound from {@code editflow.simulator.*} at start-up and replaceable
 * at run time through {@code PUT /_sim/settings} (same names, kebab-case JSON).
 *
 * @param publicBaseUrl base URL written into status/response/cancel URLs; empty derives it from
 *     each request's Host header
 * @param mediaBaseUrl base URL of output file links; empty uses the queue base URL
 * @param requiredKey when set, only {@code Authorization: Key <this>} is accepted; otherwise any
 *     non-empty key is
 * @param concurrencyLimit jobs allowed IN_PROGRESS at once (fal: 2 for a new account, up to 40)
 * @param imageWorkers image decode/render/encode jobs run at once (CPU bound, keep small)
 * @param maxQueued requests waiting IN_QUEUE at most; a submit beyond is answered 429 with
 *     Retry-After, as fal's rate limit does, so that a flood cannot grow the simulator's heap until
 *     it falls over before the system it is measuring
 * @param validation where invalid model input is reported: RESULT (like fal, the job completes with
 *     a 422 result) or SUBMIT (422 straight from the submit call)
 * @param timing queue wait and processing time distributions
 * @param cancel cancel behaviour
 * @param output output image knobs
 * @param media media (CDN) knobs
 * @param retention how long results stay fetchable
 * @param webhook webhook delivery knobs
 * @param stream status stream knobs
 * @param faults fault injection knobs
 * @param seed seed for every random choice; empty means different each run
 * @param stateDir where requests and output files are kept so that they survive a restart, as fal
 *     keeps them when its client goes away (read at start-up); empty keeps them in memory and a
 *     temporary directory
 */
@ConfigurationProperties("editflow.simulator")
public record SimulatorSettings(
    @Nullable String publicBaseUrl,
    @Nullable String mediaBaseUrl,
    @Nullable String requiredKey,
    @DefaultValue("2") int concurrencyLimit,
    @DefaultValue("2") int imageWorkers,
    @DefaultValue("10000") int maxQueued,
    @DefaultValue("RESULT") ValidationMode validation,
    @DefaultValue Timing timing,
    @DefaultValue Cancel cancel,
    @DefaultValue Output output,
    @DefaultValue Media media,
    @DefaultValue Retention retention,
    @DefaultValue Webhook webhook,
    @DefaultValue Stream stream,
    @DefaultValue Faults faults,
    @Nullable Long seed,
    @Nullable String stateDir) {

  /** Where invalid model input is reported. */
  public enum ValidationMode {
    /** 422 from the submit call. */
    SUBMIT,
    /** Submit succeeds; the job completes with an error and the result call returns the 422. */
    RESULT
  }

  /**
   * Latency distributions (uniform between min and max).
   *
   * @param queueWaitMin shortest time a job stays IN_QUEUE even when a slot is free
   * @param queueWaitMax longest such time
   * @param processingMin shortest time a job stays IN_PROGRESS
   * @param processingMax longest such time
   */
  public record Timing(
      @DefaultValue("1s") Duration queueWaitMin,
      @DefaultValue("2s") Duration queueWaitMax,
      @DefaultValue("2s") Duration processingMin,
      @DefaultValue("4s") Duration processingMax) {}

  /**
   * Cancel behaviour.
   *
   * @param inProgressCompletes whether an IN_PROGRESS job that was asked to cancel still completes
   *     normally (true) or stops and completes with a cancellation error (false)
   * @param alwaysOk answer every cancel call with HTTP 200 (the JSON status still differs), since
   *     fal's codes for cancel are unconfirmed
   */
  public record Cancel(
      @DefaultValue("true") boolean inProgressCompletes, @DefaultValue("false") boolean alwaysOk) {}

  /**
   * Output image knobs.
   *
   * @param longSide overrides the long side in pixels (0 = from resolution: 1K=1024, 2K=2048,
   *     4K=4096)
   * @param noise amplitude (0-255) of random noise added to every pixel; makes files large and hard
   *     to compress
   * @param minFileSize pads PNG and JPEG files with ignorable data up to this size (0 = off)
   */
  public record Output(
      @DefaultValue("0") int longSide,
      @DefaultValue("0") int noise,
      @DefaultValue("0B") DataSize minFileSize) {}

  /**
   * Media (CDN) knobs.
   *
   * @param dir directory for output files; empty uses a fresh temporary directory
   * @param expiry lifetime of output files unless the request sets
   *     X-Fal-Object-Lifecycle-Preference
   * @param throttlePerSecond bytes per second served per download (0 = unthrottled)
   * @param truncateAtPercent close the connection after this percentage of Content-Length (100 =
   *     never truncate)
   */
  public record Media(
      @Nullable String dir,
      @DefaultValue("7d") Duration expiry,
      @DefaultValue("0B") DataSize throttlePerSecond,
      @DefaultValue("100") int truncateAtPercent) {}

  /**
   * Result retention (the queue result, not media), per FAL-API.md 1.6.
   *
   * @param result how long results stay fetchable with payload storage on (the default)
   * @param withoutStoreIo how long with {@code X-Fal-Store-IO: 0}
   * @param largeWithoutStoreIo how long with {@code X-Fal-Store-IO: 0} for results of 10 KB or more
   */
  public record Retention(
      @DefaultValue("30d") Duration result,
      @DefaultValue("1h") Duration withoutStoreIo,
      @DefaultValue("6m") Duration largeWithoutStoreIo) {}

  /**
   * Webhook delivery knobs.
   *
   * @param attempts delivery attempts before giving up (fal: 10 over about 2 hours)
   * @param baseDelay delay before the first retry; doubles after each failed attempt
   * @param timeout how long to wait for the receiver's answer
   * @param keySeed seed of the Ed25519 key pair (any string; read at start-up only); empty
   *     generates a new key each start
   * @param userId value of X-Fal-Webhook-User-Id
   * @param dropProbability probability that a finished job's webhook is never sent
   * @param payloadError send {@code payload: null} with {@code payload_error} instead of the
   *     payload
   */
  public record Webhook(
      @DefaultValue("3") int attempts,
      @DefaultValue("1s") Duration baseDelay,
      @DefaultValue("10s") Duration timeout,
      @Nullable String keySeed,
      @DefaultValue("editflow-simulator-user") String userId,
      @DefaultValue("0") double dropProbability,
      @DefaultValue("false") boolean payloadError) {}

  /**
   * Status stream knobs.
   *
   * @param keepAlive interval of keep-alive comments
   * @param maxDuration the stream is closed after this long even if the job has not completed
   */
  public record Stream(
      @DefaultValue("15s") Duration keepAlive, @DefaultValue("1h") Duration maxDuration) {}

  /**
   * Fault injection.
   *
   * @param submit HTTP faults of the submit call
   * @param status HTTP faults of the status call
   * @param result HTTP faults of the result call
   * @param cancel HTTP faults of the cancel call
   * @param stream HTTP faults of the status stream call
   * @param media HTTP faults of media downloads
   * @param contentPolicy probability that a job is rejected with a 422 content_policy_violation
   * @param stuck probability that a job stays IN_PROGRESS forever (it keeps its concurrency slot)
   * @param runnerFailure probability that a processing attempt fails with a runner 503; the queue
   *     retries it unless X-Fal-No-Retry was sent
   * @param runnerAttempts processing attempts before a runner failure becomes the job's result
   */
  public record Faults(
      @DefaultValue EndpointFaults submit,
      @DefaultValue EndpointFaults status,
      @DefaultValue EndpointFaults result,
      @DefaultValue EndpointFaults cancel,
      @DefaultValue EndpointFaults stream,
      @DefaultValue EndpointFaults media,
      @DefaultValue("0") double contentPolicy,
      @DefaultValue("0") double stuck,
      @DefaultValue("0") double runnerFailure,
      @DefaultValue("10") int runnerAttempts) {}

  /**
   * Probabilities (0-1) of answering a call with an error instead of handling it.
   *
   * @param http429 probability of 429 (with Retry-After)
   * @param http500 probability of 500
   * @param http502 probability of 502 (ingress-style HTML body, no x-fal-request-id)
   * @param http503 probability of 503 (ingress-style)
   * @param http504 probability of 504 (ingress-style)
   * @param retryAfter value of the Retry-After header on 429
   */
  public record EndpointFaults(
      @DefaultValue("0") double http429,
      @DefaultValue("0") double http500,
      @DefaultValue("0") double http502,
      @DefaultValue("0") double http503,
      @DefaultValue("0") double http504,
      @DefaultValue("1s") Duration retryAfter) {}
}
