package dev.editflow.jobs.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@code editflow.ready}, which every service exposes for alerts: 1 while the readiness group is UP
 * (database, broker, bucket). Read every few seconds by one scheduled task, never on a scrape, so a
 * slow dependency cannot stall {@code /actuator/prometheus}.
 */
public class ReadinessGauge {

  private final ObjectProvider<HealthEndpoint> health;
  private final AtomicLong ready = new AtomicLong();

  public ReadinessGauge(ObjectProvider<HealthEndpoint> health, MeterRegistry meters) {
    this.health = health;
    Gauge.builder("editflow.ready", ready, AtomicLong::get)
        .description("1 while this instance's readiness (database, broker, bucket) is UP, else 0")
        .register(meters);
  }

  @Scheduled(
      initialDelayString = "${editflow.monitoring.refresh-interval:10s}",
      fixedDelayString = "${editflow.monitoring.refresh-interval:10s}")
  void refresh() {
    HealthEndpoint endpoint = health.getIfAvailable();
    HealthDescriptor readiness = endpoint == null ? null : endpoint.healthForPath("readiness");
    ready.set(readiness != null && Status.UP.equals(readiness.getStatus()) ? 1 : 0);
  }
}
