package dev.editflow.systemtests;

import java.time.Duration;

/**
 * What a chaos run does, from system properties ({@code -Dchaos.jobs=1000} ...). The defaults are
 * the CI-sized run.
 *
 * @param jobs jobs submitted through the API
 * @param workers edit-worker processes
 * @param archivers result-archiver processes
 * @param faultEvery pause between two faults
 * @param restartInfrastructure also restart RabbitMQ and PostgreSQL (local services only)
 * @param settleTimeout how long to wait after the last fault for every job to end
 * @param intense the intense run's fault sequence instead ({@code -Dchaos.intense=true})
 */
record ChaosSettings(
    int jobs,
    int workers,
    int archivers,
    Duration faultEvery,
    boolean restartInfrastructure,
    Duration settleTimeout,
    boolean intense) {

  static ChaosSettings fromSystemProperties() {
    return new ChaosSettings(
        Integer.getInteger("chaos.jobs", 100),
        Integer.getInteger("chaos.workers", 2),
        Integer.getInteger("chaos.archivers", 2),
        Duration.ofSeconds(Integer.getInteger("chaos.fault-every-seconds", 6)),
        Boolean.parseBoolean(System.getProperty("chaos.restart-infrastructure", "true")),
        Duration.ofSeconds(Integer.getInteger("chaos.settle-timeout-seconds", 420)),
        Boolean.getBoolean("chaos.intense"));
  }
}
