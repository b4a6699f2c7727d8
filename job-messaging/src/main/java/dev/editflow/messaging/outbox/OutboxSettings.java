package dev.editflow.messaging.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the outbox relay publishes.
 *
 * @param batchSize rows claimed per round
 * @param sweepInterval how often the relay looks for rows when nothing woke it
 * @param confirmTimeout how long to wait for the broker's confirm before trying again later
 * @param maxBackoff the longest wait before retrying a row the broker did not confirm
 * @param lease how long a claimed batch belongs to the relay that claimed it; rows it has neither
 *     deleted nor given back by then (its process died) are claimed again. Longer than {@code
 *     confirmTimeout}, so a relay still waiting for confirms keeps its rows
 */
@ConfigurationProperties("editflow.outbox")
public record OutboxSettings(
    @DefaultValue("200") int batchSize,
    @DefaultValue("1s") Duration sweepInterval,
    @DefaultValue("10s") Duration confirmTimeout,
    @DefaultValue("30s") Duration maxBackoff,
    @DefaultValue("30s") Duration lease) {}
