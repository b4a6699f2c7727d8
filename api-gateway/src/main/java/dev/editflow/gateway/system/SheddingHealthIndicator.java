package dev.editflow.gateway.system;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code shedding}, in the readiness group: {@code OUT_OF_SERVICE} while the instance sheds load
 * (and {@code editflow.gateway.load.unready-after-shedding} after), so that a load balancer sends
 * new traffic elsewhere. Liveness is not affected: a shedding instance is busy, not wedged.
 */
@Component
class SheddingHealthIndicator implements HealthIndicator {

  private final LoadShedding shedding;

  SheddingHealthIndicator(LoadShedding shedding) {
    this.shedding = shedding;
  }

  @Override
  public Health health() {
    return shedding.shedRecently() ? Health.outOfService().build() : Health.up().build();
  }
}
