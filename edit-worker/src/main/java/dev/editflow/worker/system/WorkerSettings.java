package dev.editflow.worker.system;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the worker submits and tracks jobs.
 *
 * @param inputUrlTtl lifetime of the presigned input URLs handed to fal; must exceed the longest
 *     queue wait at fal (the start timeout), or fal finds them expired
 * @param startTimeout {@code X-Fal-Request-Start-Timeout}: fal gives up if a request has not
 *     started by then
 * @param outputLifetime how long fal keeps outputs; we copy them within seconds
 * @param falWebhookBaseUrl the gateway's public base URL; when set, fal calls {@code
 *     /v1/fal/webhooks} on it as soon as a request finishes
 * @param submitGrace how long a submit marker without a fal request id is assumed to be another
 *     delivery still submitting; after it the attempt is submitted again
 * @param maxAttempts attempts of a job whose fal request failed in a retryable way
 * @param attemptBackoff the pause before the second attempt, doubled before each further one, so
 *     that a job's attempts span a short outage (our S3, fal) instead of all failing inside it
 * @param pollFirst the first look at a fal request after submitting
 * @param pollFactor growth of the pause between two looks
 * @param pollMax the longest pause between two looks (caps status calls per job per minute)
 * @param pollBatch jobs claimed per round of the poller
 * @param maxConcurrentFalCalls status/result/cancel calls in flight at once
 * @param falConcurrency jobs at fal at once across all worker replicas, 0 for no limit: set it to
 *     the fal account's concurrency limit (2 to 40) so that the backlog waits with us, where
 *     cancelling is free, and not in fal's queue, where it runs into the start timeout
 * @param falSlotInterval how often free fal slots are handed to waiting jobs
 * @param requeueAfter a job still {@code QUEUED} after this long gets its message sent again
 * @param sweepInterval how often deadlines and stuck jobs are checked
 * @param gaugeInterval how often the job-count gauges are read from the database (not per scrape)
 */
@ConfigurationProperties("editflow.worker")
public record WorkerSettings(
    @DefaultValue("1h") Duration inputUrlTtl,
    @DefaultValue("5m") Duration startTimeout,
    @DefaultValue("1h") Duration outputLifetime,
    @Nullable URI falWebhookBaseUrl,
    @DefaultValue("2m") Duration submitGrace,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("5s") Duration attemptBackoff,
    @DefaultValue("1s") Duration pollFirst,
    @DefaultValue("1.6") double pollFactor,
    @DefaultValue("10s") Duration pollMax,
    @DefaultValue("500") int pollBatch,
    @DefaultValue("256") int maxConcurrentFalCalls,
    @DefaultValue("0") int falConcurrency,
    @DefaultValue("500ms") Duration falSlotInterval,
    @DefaultValue("2m") Duration requeueAfter,
    @DefaultValue("15s") Duration sweepInterval,
    @DefaultValue("5s") Duration gaugeInterval) {}
