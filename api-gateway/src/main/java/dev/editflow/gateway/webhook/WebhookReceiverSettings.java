package dev.editflow.gateway.webhook;

import dev.editflow.safehttp.OutboundPolicy;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where client webhooks may go: the same {@code editflow.webhooks.*} settings the result-archiver
 * sends them by, so the URL a job is accepted with is one the sender will call.
 *
 * @param allowedHosts receiver hosts; {@code *} is any host, still subject to the address checks
 * @param allowHttp also accept plain-http receivers; only for local development
 * @param allowLoopback accept loopback receivers; only for tests and the local stack
 * @param lookupTimeout how long a submit waits for the receiver's host to resolve; a host that does
 *     not resolve in time is accepted and checked again when the webhook is sent
 */
@ConfigurationProperties("editflow.webhooks")
record WebhookReceiverSettings(
    @DefaultValue("*") List<String> allowedHosts,
    @DefaultValue("false") boolean allowHttp,
    @DefaultValue("false") boolean allowLoopback,
    @DefaultValue("2s") Duration lookupTimeout) {

  OutboundPolicy policy() {
    return new OutboundPolicy(allowedHosts, allowHttp, allowLoopback);
  }
}
