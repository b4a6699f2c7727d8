package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Holds a few thousand concurrent streams and status calls in one JVM (client and server share the
 * file-descriptor limit here); the 10k-20k figures come from running {@link LoadProbe} against the
 * jar. Counts only, no timing assertions.
 */
class ConcurrentLoadIT extends SimulatorTestSupport {

  private static final int CONNECTIONS = 2_000;

  @Test
  void holdsThousandsOfConcurrentStatusStreams() throws Exception {
    settings("{\"faults\":{\"stuck\":1.0}}");
    String statusUrl = LoadProbe.submitStuckJob(baseUrl());

    LoadProbe.Outcome outcome =
        LoadProbe.concurrentStreams(statusUrl + "/stream", CONNECTIONS, Duration.ofSeconds(1));

    assertThat(outcome.errors()).as(outcome.toString()).isZero();
    assertThat(outcome.held()).isEqualTo(CONNECTIONS);
  }

  @Test
  void answersThousandsOfSimultaneousStatusCalls() throws Exception {
    settings("{\"faults\":{\"stuck\":1.0}}");
    String statusUrl = LoadProbe.submitStuckJob(baseUrl());

    LoadProbe.Outcome outcome = LoadProbe.concurrentStatusCalls(statusUrl, CONNECTIONS);

    assertThat(outcome.errors()).as(outcome.toString()).isZero();
    assertThat(outcome.held()).isEqualTo(CONNECTIONS);
  }
}
