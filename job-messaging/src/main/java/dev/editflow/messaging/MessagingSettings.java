package dev.editflow.messaging;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Broker topology and consumer retry behaviour.
 *
 * @param rabbitmqFeatures use RabbitMQ-only queue features (quorum queues, dead-letter exchanges,
 *     TTL retry queues); turn off for AMQP brokers without them, such as the embedded broker of the
 *     local stack, where retries are immediate requeues and the job store's sweeper is the safety
 *     net
 * @param retryDelays the delay of each retry level of a transiently failing message; after the last
 *     one the message is parked
 */
@ConfigurationProperties("editflow.messaging")
public record MessagingSettings(
    @DefaultValue("true") boolean rabbitmqFeatures,
    @DefaultValue({"1s", "5s", "30s", "2m"}) List<Duration> retryDelays) {}
