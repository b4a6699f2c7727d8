package dev.editflow.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.model.FalRequest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class LookScheduleIT extends WorkerJobsIntegrationTest {

  private static final LookSchedule.Pauses PAUSES =
      new LookSchedule.Pauses(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(50));

  @Autowired LookSchedule schedule;
  @Autowired JdbcClient jdbc;

  @Test
  void concurrentPollersNeverClaimTheSameJob() throws Exception {
    Set<EditJobId> created = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      created.add(submittedAndDue("poller"));
    }
    List<Callable<List<JobAtFal>>> pollers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pollers.add(() -> schedule.claimDue(10, PAUSES));
    }
    List<EditJobId> claimed = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<List<JobAtFal>> result : pool.invokeAll(pollers)) {
        result.get().forEach(job -> claimed.add(job.id()));
      }
    }

    List<EditJobId> ours = claimed.stream().filter(created::contains).toList();
    assertThat(ours).doesNotHaveDuplicates();
    assertThat(ours).hasSize(40);
  }

  @Test
  void aClaimSchedulesTheNextLookAfterAPauseThatGrowsUpToItsCap() {
    EditJobId id = submittedAndDue("backoff");
    // Pauses of 10, 20, 40 s, then the 50 s cap, each within ±20 %.
    for (double pause : new double[] {10, 20, 40, 50, 50}) {
      Instant claimedAt = Instant.now();
      assertThat(schedule.claimDue(1000, PAUSES)).extracting(JobAtFal::id).contains(id);

      double seconds = Duration.between(claimedAt, nextPollAt(id)).toMillis() / 1000.0;
      assertThat(seconds).isCloseTo(pause, within(pause * 0.2 + 1));
      assertThat(schedule.claimDue(1000, PAUSES))
          .as("not due again before its next look")
          .extracting(JobAtFal::id)
          .doesNotContain(id);
      schedule.dueNow(id);
    }
    assertThat(pollCount(id)).isEqualTo(5);
  }

  @Test
  void aClaimReadsWhatTrackingNeeds() {
    EditJobId id = submittedAndDue("reader");

    JobAtFal job =
        schedule.claimDue(1000, PAUSES).stream()
            .filter(j -> j.id().equals(id))
            .findFirst()
            .orElseThrow();

    assertThat(job.falRequest()).isEqualTo(aFalRequest());
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.model()).isEqualTo("fal-ai/nano-banana/edit");
    assertThat(job.falCancelPending()).isFalse();
    assertThat(job).isEqualTo(schedule.find(id).orElseThrow());
  }

  @Test
  void aCancelOwedToFalIsClaimedUntilItIsDone() {
    EditJobId id = create("canceller", NewEditJob.DEFAULT_TIER);
    jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now().plusSeconds(3600)));
    jobs.move(id, new Transition.Cancelled("user:canceller", "user cancelled"));

    assertThat(schedule.claimDue(1000, PAUSES)).extracting(JobAtFal::id).contains(id);
    schedule.cancelDone(id);
    assertThat(schedule.find(id).orElseThrow().falCancelPending()).isFalse();
    assertThat(jobs.find(id).orElseThrow().falCancelPending()).isFalse();
  }

  private EditJobId submittedAndDue(String owner) {
    EditJobId id = create(owner, NewEditJob.DEFAULT_TIER);
    jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now().minusSeconds(1)));
    return id;
  }

  private Instant nextPollAt(EditJobId id) {
    return jdbc.sql("select next_poll_at from edit_job where id = :id")
        .param("id", id.value())
        .query(Timestamp.class)
        .single()
        .toInstant()
        .truncatedTo(ChronoUnit.MILLIS);
  }

  private int pollCount(EditJobId id) {
    return jdbc.sql("select poll_count from edit_job where id = :id")
        .param("id", id.value())
        .query(Integer.class)
        .single();
  }

  private static FalRequest aFalRequest() {
    return new FalRequest(
        "req-1",
        "http://fal/requests/req-1/status",
        "http://fal/requests/req-1",
        "http://fal/requests/req-1/cancel");
  }
}
