package dev.editflow.archiver.webhook;

import dev.editflow.safehttp.OutboundPolicy;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How client webhooks are sent.
 *
 * @param enabled send webhooks from this archiver replica
 * @param allowedHosts receiver hosts; {@code *} is any host, still subject to the address checks
 *     (no loopback, private, link-local or metadata addresses). The gateway reads the same three
 *     settings to refuse a {@code webhookUrl} at submit
 * @param allowHttp also allow plain http receivers; only for local development
 * @param allowLoopback allow loopback receivers; only for tests and the local stack
 * @param connectTimeout the longest wait for a connection to a receiver
 * @param readTimeout the longest wait for a receiver's answer
 * @param retryDelays the wait before each retry after a failed attempt; when they are used up the
 *     delivery is {@code FAILED}
 * @param pollInterval how often to look for due deliveries
 * @param batchSize deliveries claimed and sent at once
 * @param lease how long a claimed delivery is hidden from other replicas
 */
@ConfigurationProperties("editflow.webhooks")
record WebhookSettings(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("*") List<String> allowedHosts,
    @DefaultValue("false") boolean allowHttp,
    @DefaultValue("false") boolean allowLoopback,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("10s") Duration readTimeout,
    @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retryDelays,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("20") int batchSize,
    @DefaultValue("2m") Duration lease) {

  /** Where webhooks may go; the gateway builds the same policy from the same settings. */
  OutboundPolicy receiverPolicy() {
    return new OutboundPolicy(allowedHosts, allowHttp, allowLoopback);
  }
}
