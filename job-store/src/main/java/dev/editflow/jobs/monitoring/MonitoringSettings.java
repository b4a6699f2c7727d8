package dev.editflow.jobs.monitoring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Gauges every service reads on a schedule rather than on each scrape.
 *
 * @param refreshInterval how often readiness and the broker's queue depths are read
 */
@ConfigurationProperties("editflow.monitoring")
public record MonitoringSettings(@DefaultValue("10s") Duration refreshInterval) {}
