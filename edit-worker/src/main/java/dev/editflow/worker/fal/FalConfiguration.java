package dev.editflow.worker.fal;

import dev.editflow.fal.FalClient;
import dev.editflow.fal.FalClientSettings;
import dev.editflow.fal.FalKey;
import dev.editflow.worker.system.WorkerMetrics;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class FalConfiguration {

  @Bean
  FalClient falClient(
      FalSettings settings, JsonMapper json, WorkerMetrics metrics, ObjectProvider<Tracer> tracer) {
    return new FalClient(
        new FalClientSettings(
            settings.baseUrl(),
            FalKey.of(settings.key()),
            settings.connectTimeout(),
            settings.requestTimeout(),
            settings.maxRetries(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30)),
        json,
        new FalCallObserver(metrics, tracer.getIfAvailable(() -> Tracer.NOOP)));
  }
}
