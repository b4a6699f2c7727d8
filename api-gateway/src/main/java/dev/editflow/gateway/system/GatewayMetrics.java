package dev.editflow.gateway.system;

import dev.editflow.jobs.usage.Usage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The gateway's meters. */
@Component
public class GatewayMetrics {

  private final MeterRegistry meters;
  private final Usage usage;
  private final AtomicReference<BigDecimal> spendToday = new AtomicReference<>(BigDecimal.ZERO);

  GatewayMetrics(MeterRegistry meters, Usage usage, GatewaySettings settings) {
    this.meters = meters;
    this.usage = usage;
    Gauge.builder("editflow.spend.today", spendToday, s -> s.get().doubleValue())
        .description("Estimated fal spend of all users today (UTC): unfinished and succeeded jobs")
        .baseUnit("usd")
        .register(meters);
    BigDecimal budget = settings.limits().dailyBudgetUsd();
    Gauge.builder("editflow.budget.daily", budget, BigDecimal::doubleValue)
        .description("The global daily budget (editflow.gateway.limits.daily-budget-usd)")
        .baseUnit("usd")
        .register(meters);
    // Every code from the start, so that rates and alerts see a 0 rather than no series.
    for (ApiError error : ApiError.values()) {
      meters.counter("editflow.api.problems", "code", error.name());
    }
    for (String kind : new String[] {"input", "output"}) {
      for (String reason : new String[] {"owner-delete", "retention"}) {
        meters.counter("editflow.files.deleted", "kind", kind, "reason", reason);
      }
    }
  }

  /**
   * Files removed from our bucket.
   *
   * @param kind {@code input} (an upload) or {@code output}
   * @param reason {@code owner-delete} or {@code retention}
   */
  public void filesDeleted(String kind, String reason, int count) {
    meters.counter("editflow.files.deleted", "kind", kind, "reason", reason).increment(count);
  }

  public void accepted(String model) {
    meters.counter("editflow.jobs.accepted", "model", model).increment();
  }

  public void rejected(ApiError error) {
    meters.counter("editflow.api.problems", "code", error.name()).increment();
  }

  public void uploadCreated() {
    meters.counter("editflow.uploads.created").increment();
  }

  public void uploadsExpired(int count) {
    meters.counter("editflow.uploads.expired").increment(count);
  }

  @Scheduled(fixedDelay = 5000)
  void refreshSpend() {
    try {
      spendToday.set(usage.globalSpendToday());
    } catch (RuntimeException databaseDown) {
      // keep the last value; health reports the database
    }
  }
}
