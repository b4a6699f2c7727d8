package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import dev.editflow.worker.system.WorkerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A design check of the poller, not a timing test: with many jobs held at fal at once, the status
 * calls the simulator counts stay within what the configured backoff allows per job.
 */
class PollerBackoffIT extends WorkerIntegrationTest {

  private static final Logger LOG = LoggerFactory.getLogger(PollerBackoffIT.class);
  private static final int JOBS = 200;
  private static final Duration HOLD = Duration.ofSeconds(10);

  @Autowired WorkerSettings settings;

  @Test
  void looksAtManyHeldRequestsNoMoreOftenThanTheBackoffAllows() {
    try (var holdingEveryRequest =
        FalSimulator.change(
            "{\"concurrency-limit\":250,\"timing\":{\"queue-wait-min\":\"0ms\",\"queue-wait-max\":\"0ms\","
                + "\"processing-min\":\"10s\",\"processing-max\":\"10s\"}}")) {
      long statusCallsBefore = FalSimulator.calls("status");
      String prompt = prompt("held");
      List<EditJobId> ids = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        ids.add(createJob(prompt, Duration.ofMinutes(5)));
      }

      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> ids.stream().allMatch(id -> status(id) == JobStatus.ARCHIVING));

      long statusCalls = FalSimulator.calls("status") - statusCallsBefore;
      // fal holds a job HOLD after it starts; allow one pause at the cap for the worker to notice.
      int allowedPerJob = looksWithin(HOLD.plus(settings.pollMax()));
      LOG.info(
          "{} jobs held {} at fal: {} status calls, {} per job (backoff allows {}); at the cap a"
              + " job gets at most {} looks per minute.",
          JOBS,
          HOLD,
          statusCalls,
          statusCalls / (double) JOBS,
          allowedPerJob,
          60_000 / (settings.pollMax().toMillis() * 0.8));
      assertThat(statusCalls).isBetween((long) JOBS, (long) JOBS * allowedPerJob);
      assertThat(FalSimulator.submissions(prompt)).isEqualTo(JOBS);
    }
  }

  /**
   * The most looks the backoff allows within {@code window}: every pause at its shortest jitter.
   */
  private int looksWithin(Duration window) {
    double elapsed = settings.pollFirst().toMillis();
    int looks = 0;
    while (elapsed <= window.toMillis()) {
      looks++;
      double pause =
          Math.min(
              settings.pollMax().toMillis(),
              settings.pollFirst().toMillis() * Math.pow(settings.pollFactor(), looks - 1));
      elapsed += pause * 0.8;
    }
    return looks;
  }
}
