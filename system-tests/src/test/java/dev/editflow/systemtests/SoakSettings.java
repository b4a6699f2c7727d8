package dev.editflow.systemtests;

import java.time.Duration;

/**
 * What a soak does, from system properties ({@code -Dsoak.minutes=30} ...). The defaults are the
 * few-minute version {@code ./mvnw verify} runs; {@code bin/soak} runs 30 minutes.
 *
 * @param duration how long the load runs
 * @param jobsPerSecond the steady load
 * @param faultEvery pause between two faults
 * @param sampleEvery pause between two samples of every service
 * @param settleTimeout how long to wait after the load for every job to end
 */
record SoakSettings(
    Duration duration,
    double jobsPerSecond,
    Duration faultEvery,
    Duration sampleEvery,
    Duration settleTimeout) {

  static SoakSettings fromSystemProperties() {
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "2"));
    Duration duration = Duration.ofSeconds(Math.round(minutes * 60));
    // A few faults in the short version, one every three minutes in a long soak.
    Duration faultEvery =
        Duration.ofSeconds(Integer.getInteger("soak.fault-every-seconds", minutes <= 5 ? 30 : 180));
    return new SoakSettings(
        duration,
        Double.parseDouble(System.getProperty("soak.rate", "1")),
        faultEvery,
        Duration.ofSeconds(Integer.getInteger("soak.sample-seconds", 10)),
        Duration.ofSeconds(Integer.getInteger("soak.settle-timeout-seconds", 300)));
  }
}
