package dev.editflow.archiver.webhook;

import dev.editflow.archiver.fetch.HostResolver;
import dev.editflow.archiver.fetch.MediaFetcher;
import dev.editflow.archiver.fetch.MediaPolicy;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.webhook.ClientWebhooks;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires the webhook sender with its own SSRF policy (any public host, https only). */
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
    MediaPolicy policy =
        new MediaPolicy(settings.allowedHosts(), settings.allowHttp(), settings.allowLoopback());
    if (settings.allowHttp() || settings.allowLoopback()) {
      LOG.warn(
          "Client webhooks are relaxed for local use ({}); never run production like this.",
          policy);
    }
    MediaFetcher http =
        new MediaFetcher(
            policy,
            HostResolver.SYSTEM,
            null,
            settings.connectTimeout(),
            settings.readTimeout(),
            settings.readTimeout(),
            0);
    return new WebhookSender(webhooks, jobs, http, settings, json, clock, tracing, meters);
  }
}
