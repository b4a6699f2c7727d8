package dev.editflow.archiver.webhook;

import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.safehttp.HostResolver;
import dev.editflow.safehttp.OutboundPolicy;
import dev.editflow.safehttp.PinnedHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires the webhook sender with the receivers' SSRF policy (any public host, https only). */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookConfiguration.class);

  @Bean
  WebhookSender webhookSender(
      ClientWebhooks webhooks,
      EditJobs jobs,
      WebhookSettings settings,
      JsonMapper json,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    OutboundPolicy policy = settings.receiverPolicy();
    if (settings.allowHttp() || settings.allowLoopback()) {
      LOG.warn(
          "Client webhooks are relaxed for local use ({}); never run production like this.",
          policy);
    }
    PinnedHttp http =
        new PinnedHttp(
            policy, HostResolver.SYSTEM, null, settings.connectTimeout(), settings.readTimeout());
    return new WebhookSender(webhooks, jobs, http, settings, json, clock, tracing, meters);
  }
}
