package dev.editflow.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class SubmitStartsIT extends WorkerJobsIntegrationTest {

  @Autowired SubmitStarts starts;
  @Autowired JdbcClient jdbc;

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
  void aFreshSubmitMarksTheAttemptAndReadsTheJobOnce() {
    EditJobId id = create("alice", NewEditJob.DEFAULT_TIER);

    EditJob marked = starts.markFreshSubmit(id, 1).orElseThrow();
    assertThat(marked.submitStartedAt()).isNotNull();
    assertThat(marked.prompt()).isEqualTo("a red balloon");
    assertThat(jobs.find(id).orElseThrow().submitStartedAt()).isEqualTo(marked.submitStartedAt());

    assertThat(starts.markFreshSubmit(id, 1)).as("a second delivery of the same attempt").isEmpty();
    assertThat(starts.markSubmitStarted(id, 1)).as("the marker is taken").isFalse();
  }

  @Test
  void aFreshSubmitLeavesEveryOtherCaseToTheCaller() {
    EditJobId otherAttempt = create("alice", NewEditJob.DEFAULT_TIER);
    assertThat(starts.markFreshSubmit(otherAttempt, 2)).isEmpty();

    EditJobId overdue = create("alice", NewEditJob.DEFAULT_TIER);
    jdbc.sql("update edit_job set deadline_at = now() - interval '1 second' where id = :id")
        .param("id", overdue.value())
        .update();
    assertThat(starts.markFreshSubmit(overdue, 1)).isEmpty();

    EditJobId cancelled = create("alice", NewEditJob.DEFAULT_TIER);
    jobs.move(cancelled, new Transition.Cancelled("user:alice", "user cancelled"));
    assertThat(starts.markFreshSubmit(cancelled, 1)).isEmpty();

    for (EditJobId id : new EditJobId[] {otherAttempt, overdue, cancelled}) {
      assertThat(jobs.find(id).orElseThrow().submitStartedAt()).isNull();
    }
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
