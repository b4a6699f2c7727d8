package dev.editflow.jobs;

import static dev.editflow.jobs.Jobs.aFalRequest;
import static dev.editflow.jobs.Jobs.aNewJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.GeneratedImage;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

class EditJobsIT extends JobStoreIntegrationTest {

  @Autowired EditJobs jobs;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;
  @Autowired MeterRegistry meters;

  @Test
  void recordsEveryTransitionInOrderWithActorAndReason() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();

    assertThat(jobs.markSubmitStarted(id, 1)).isTrue();
    assertThat(jobs.markSubmitted(id, 1, aFalRequest(), Instant.now())).isTrue();
    assertThat(jobs.markInProgress(id, Instant.now())).isTrue();
    assertThat(jobs.markArchiving(completed(id, 1))).isTrue();

    assertThat(jobs.transitions(id, 0))
        .extracting(JobTransition::to)
        .containsExactly(
            JobStatus.QUEUED, JobStatus.SUBMITTED, JobStatus.IN_PROGRESS, JobStatus.ARCHIVING);
    assertThat(jobs.transitions(id, 0).get(1).reason()).contains("req-1");
    assertThat(jobs.find(id).orElseThrow().falRequest()).isEqualTo(aFalRequest());
  }

  @Test
  void countsAndLogsAStatusChangeOnlyOnceItIsCommitted() {
    EditJobId kept = jobs.create(aNewJob("alice"), "user:alice").id();
    EditJobId rolledBack = jobs.create(aNewJob("alice"), "user:alice").id();
    double before = finished("FAILED", "CONTENT_POLICY");

    transactions.executeWithoutResult(
        tx -> {
          jobs.fail(rolledBack, ErrorCode.CONTENT_POLICY, "blocked", "worker");
          tx.setRollbackOnly();
        });
    jobs.fail(kept, ErrorCode.CONTENT_POLICY, "blocked", "worker");

    assertThat(finished("FAILED", "CONTENT_POLICY") - before).isEqualTo(1);
    assertThat(jobs.find(rolledBack).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(
            meters
                .get("editflow.job.duration")
                .tags("status", "FAILED")
                .timer()
                .takeSnapshot()
                .histogramCounts())
        .as("buckets up to 30 min, the SLO's 300 s among them")
        .anySatisfy(bucket -> assertThat(bucket.bucket()).isEqualTo(300e9));
  }

  private double finished(String status, String code) {
    var counter =
        meters
            .find("editflow.jobs.finished")
            .tags("status", status, "code", code, "model", aNewJob("x").model())
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void lateOrDuplicateEventsNeverMoveATerminalJob() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    assertThat(jobs.fail(id, ErrorCode.CONTENT_POLICY, "blocked", "worker")).isTrue();

    assertThat(jobs.markSubmitted(id, 1, aFalRequest(), Instant.now())).isFalse();
    assertThat(jobs.markInProgress(id, Instant.now())).isFalse();
    assertThat(jobs.markArchiving(completed(id, 1))).isFalse();
    assertThat(jobs.end(id, JobStatus.CANCELLED, ErrorCode.CANCELLED, "user:alice", "cancel"))
        .isFalse();
    assertThat(jobs.fail(id, ErrorCode.UNKNOWN, "again", "worker")).isFalse();

    EditJob job = jobs.find(id).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorCode()).isEqualTo(ErrorCode.CONTENT_POLICY);
    assertThat(jobs.transitions(id, 0)).hasSize(2);
    assertThat(completedMessagesInOutbox(id)).as("no EditCompleted for a failed job").isZero();
  }

  @Test
  void aStaleAttemptCannotRecordItsSubmission() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    jobs.markSubmitStarted(id, 1);
    jobs.markSubmitted(id, 1, aFalRequest(), Instant.now());
    assertThat(jobs.retry(id, 1, ErrorCode.PROVIDER_UNAVAILABLE, "worker")).isTrue();

    assertThat(jobs.markSubmitStarted(id, 1)).isFalse();
    assertThat(jobs.markSubmitted(id, 1, aFalRequest(), Instant.now())).isFalse();
    assertThat(jobs.markSubmitStarted(id, 2)).isTrue();

    EditJob job = jobs.find(id).orElseThrow();
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.falRequest()).isNull();
  }

  @Test
  void onlyOneDeliveryTakesTheSubmitMarkerItSaw() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();

    assertThat(jobs.markSubmitStarted(id, 1)).isTrue();
    assertThat(jobs.markSubmitStarted(id, 1)).as("a second delivery of the same attempt").isFalse();

    Instant stale = jobs.find(id).orElseThrow().submitStartedAt();
    assertThat(jobs.markSubmitStarted(id, 1, stale)).as("taking over a stale marker").isTrue();
    assertThat(jobs.markSubmitStarted(id, 1, stale)).as("a second takeover").isFalse();
  }

  @Test
  void exactlyOneOfManyRacingTransitionsWins() throws Exception {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    jobs.markSubmitStarted(id, 1);
    List<Callable<Boolean>> racers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      racers.add(() -> jobs.markSubmitted(id, 1, aFalRequest(), Instant.now()));
      racers.add(
          () -> jobs.end(id, JobStatus.CANCELLED, ErrorCode.CANCELLED, "user:alice", "cancel"));
    }
    int winners = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<Boolean> result : pool.invokeAll(racers)) {
        winners += result.get() ? 1 : 0;
      }
    }

    List<JobTransition> history = jobs.transitions(id, 0);
    // Either cancelled straight away (1 winner), or submitted and then cancelled (2 winners).
    assertThat(winners).isEqualTo(history.size() - 1);
    assertThat(history.getLast().to()).isIn(JobStatus.CANCELLED, JobStatus.SUBMITTED);
    assertThat(history.stream().filter(t -> t.to() == JobStatus.SUBMITTED)).hasSizeLessThan(2);
  }

  @Test
  void succeedsOnlyWhenEveryOutputIsRecordedAndRecordsEachOnce() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    jobs.markSubmitStarted(id, 1);
    jobs.markSubmitted(id, 1, aFalRequest(), Instant.now());
    jobs.markArchiving(completed(id, 2));

    assertThat(jobs.recordOutput(id, output(0))).isTrue();
    assertThat(jobs.markSucceeded(id)).isFalse();
    assertThat(jobs.recordOutput(id, output(0))).as("redelivery").isFalse();
    assertThat(jobs.recordOutput(id, output(1))).isTrue();
    assertThat(jobs.markSucceeded(id)).isTrue();
    assertThat(jobs.markSucceeded(id)).isFalse();

    assertThat(jobs.outputs(id)).hasSize(2);
    assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void cancellingAJobAtFalLeavesACancelOwedToFal() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    jobs.markSubmitStarted(id, 1);
    jobs.markSubmitted(id, 1, aFalRequest(), Instant.now().plusSeconds(3600));

    jobs.end(id, JobStatus.CANCELLED, ErrorCode.CANCELLED, "user:alice", "user cancelled");

    assertThat(jobs.find(id).orElseThrow().falCancelPending()).isTrue();
    assertThat(jobs.claimDuePolls(1000, Duration.ofSeconds(30)))
        .extracting(EditJob::id)
        .contains(id);
    jobs.markFalCancelDone(id);
    assertThat(jobs.find(id).orElseThrow().falCancelPending()).isFalse();
  }

  @Test
  void concurrentPollersNeverClaimTheSameJob() throws Exception {
    Set<EditJobId> created = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      EditJobId id = jobs.create(aNewJob("poller"), "user:poller").id();
      jobs.markSubmitStarted(id, 1);
      jobs.markSubmitted(id, 1, aFalRequest(), Instant.now().minusSeconds(1));
      created.add(id);
    }
    List<Callable<List<EditJob>>> pollers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pollers.add(() -> jobs.claimDuePolls(10, Duration.ofMinutes(5)));
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
  void listsAnOwnersJobsNewestFirstWithACursor() {
    List<EditJobId> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(jobs.create(aNewJob("lister"), "user:lister").id());
    }
    jobs.create(aNewJob("someone-else"), "user:someone-else");

    List<EditJob> first = jobs.listOwned("lister", null, 3, null);
    List<EditJob> second = jobs.listOwned("lister", null, 3, first.getLast().id());

    assertThat(first)
        .extracting(EditJob::id)
        .containsExactly(created.get(4), created.get(3), created.get(2));
    assertThat(second).extracting(EditJob::id).containsExactly(created.get(1), created.get(0));
    assertThat(jobs.findOwned(created.get(0), "someone-else")).isEmpty();
  }

  private int completedMessagesInOutbox(EditJobId id) {
    return jdbc.sql(
            "select count(*) from outbox_message where job_id = :id and message_type = 'EditCompleted'")
        .param("id", id.value())
        .query(Integer.class)
        .single();
  }

  private static EditCompleted completed(EditJobId id, int images) {
    List<GeneratedImage> list = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      list.add(
          new GeneratedImage(
              i, "https://v3b.fal.media/files/x/" + i + ".png", "image/png", 10L, 1, 1));
    }
    return new EditCompleted(id, 1, "req-1", list, Instant.now());
  }

  private static ArchivedOutput output(int index) {
    return new ArchivedOutput(
        index, "outputs/x/" + index + ".png", "image/png", 1, 1, 10, "0".repeat(64), Instant.now());
  }
}
