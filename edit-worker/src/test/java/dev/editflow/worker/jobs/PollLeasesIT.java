package dev.editflow.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.model.FalRequest;
import java.time.Duration;
import java.time.Instant;
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

class PollLeasesIT extends WorkerJobsIntegrationTest {

  @Autowired PollLeases polls;

  @Test
  void concurrentPollersNeverClaimTheSameJob() throws Exception {
    Set<EditJobId> created = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      EditJobId id = create("poller", NewEditJob.DEFAULT_TIER);
      jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now().minusSeconds(1)));
      created.add(id);
    }
    List<Callable<List<EditJob>>> pollers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pollers.add(() -> polls.claimDue(10, Duration.ofMinutes(5)));
    }
    List<EditJobId> claimed = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<List<EditJob>> result : pool.invokeAll(pollers)) {
        result.get().forEach(job -> claimed.add(job.id()));
      }
    }

    List<EditJobId> ours = claimed.stream().filter(created::contains).toList();
    assertThat(ours).doesNotHaveDuplicates();
    assertThat(ours).hasSize(40);
  }

  @Test
  void aCancelOwedToFalIsClaimedUntilItIsDone() {
    EditJobId id = create("canceller", NewEditJob.DEFAULT_TIER);
    jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now().plusSeconds(3600)));
    jobs.move(id, new Transition.Cancelled("user:canceller", "user cancelled"));

    assertThat(polls.claimDue(1000, Duration.ofSeconds(30))).extracting(EditJob::id).contains(id);
    polls.cancelDone(id);
    assertThat(jobs.find(id).orElseThrow().falCancelPending()).isFalse();
  }

  private static FalRequest aFalRequest() {
    return new FalRequest(
        "req-1",
        "http://fal/requests/req-1/status",
        "http://fal/requests/req-1",
        "http://fal/requests/req-1/cancel");
  }
}
