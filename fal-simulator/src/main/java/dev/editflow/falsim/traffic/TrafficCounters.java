package dev.editflow.falsim.traffic;

import dev.editflow.falsim.SimulatorReset;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Calls received per endpoint and HTTP status: Micrometer counter {@code falsim.requests}
 * (Prometheus {@code falsim_requests_total{endpoint,status}}, never reset) and a resettable copy
 * for {@code GET /_sim/counters}.
 */
@Component
public class TrafficCounters {

  private final MeterRegistry registry;
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

  TrafficCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(Endpoint endpoint, int status) {
    String code = Integer.toString(status);
    counts
        .computeIfAbsent(endpoint.tag(), e -> new ConcurrentHashMap<>())
        .computeIfAbsent(code, c -> new LongAdder())
        .increment();
    Counter.builder("falsim.requests")
        .description("Calls received by the fal simulator per endpoint and HTTP status")
        .tag("endpoint", endpoint.tag())
        .tag("status", code)
        .register(registry)
        .increment();
  }

  /** Counts since start or the last reset: endpoint → status → count. */
  public Map<String, Map<String, Long>> snapshot() {
    var snapshot = new TreeMap<String, Map<String, Long>>();
    counts.forEach(
        (endpoint, byStatus) -> {
          var statuses = new TreeMap<String, Long>();
          byStatus.forEach((status, count) -> statuses.put(status, count.sum()));
          snapshot.put(endpoint, statuses);
        });
    return snapshot;
  }

  @EventListener
  void on(SimulatorReset reset) {
    counts.clear();
  }
}
