package dev.editflow.worker.fal;

import dev.editflow.fal.FalClient;
import dev.editflow.fal.FalClientSettings;
import dev.editflow.worker.system.WorkerMetrics;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The fal client, bound from {@code editflow.fal.*} ({@link FalClientSettings}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FalClientSettings.class)
class FalConfiguration {

  @Bean
  FalClient falClient(
      FalClientSettings settings,
      JsonMapper json,
      WorkerMetrics metrics,
      ObjectProvider<Tracer> tracer) {
    return new FalClient(
        settings, json, new FalCallObserver(metrics, tracer.getIfAvailable(() -> Tracer.NOOP)));
  }
}
