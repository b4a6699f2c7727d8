package dev.editflow.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SubmitStartsIT extends WorkerJobsIntegrationTest {

  @Autowired SubmitStarts starts;

  @Test
  void onlyOneDeliveryTakesTheSubmitMarkerItSaw() {
    EditJobId id = create("alice", NewEditJob.DEFAULT_TIER);

    assertThat(starts.markSubmitStarted(id, 1)).isTrue();
    assertThat(starts.markSubmitStarted(id, 1))
        .as("a second delivery of the same attempt")
        .isFalse();

    Instant stale = jobs.find(id).orElseThrow().submitStartedAt();
    assertThat(starts.markSubmitStarted(id, 1, stale)).as("taking over a stale marker").isTrue();
    assertThat(starts.markSubmitStarted(id, 1, stale)).as("a second takeover").isFalse();
  }

  @Test
  void aStaleAttemptCannotTakeTheSubmitMarker() {
    EditJobId id = create("alice", NewEditJob.DEFAULT_TIER);
    starts.markSubmitStarted(id, 1);
    jobs.move(
        id,
        new Transition.Submitted(
            1, new FalRequest("req-1", "http://s", "http://r", "http://c"), Instant.now()));
    jobs.move(id, new Transition.Retry(1, ErrorCode.PROVIDER_UNAVAILABLE, "worker"));

    assertThat(starts.markSubmitStarted(id, 1)).isFalse();
    assertThat(starts.markSubmitStarted(id, 2)).isTrue();
  }
}
