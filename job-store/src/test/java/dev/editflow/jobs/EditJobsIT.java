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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    assertThat(jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now()))).isTrue();
    assertThat(jobs.move(id, new Transition.InProgress())).isTrue();
    assertThat(jobs.move(id, new Transition.Archiving(completed(id, 1)))).isTrue();

    assertThat(jobs.transitions(id, 0))
        .extracting(JobTransition::to)
        .containsExactly(
            JobStatus.QUEUED, JobStatus.SUBMITTED, JobStatus.IN_PROGRESS, JobStatus.ARCHIVING);
    assertThat(jobs.transitions(id, 0))
        .extracting(JobTransition::actor)
        .containsExactly("user:alice", "worker", "worker", "worker");
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
          jobs.move(rolledBack, blocked());
          tx.setRollbackOnly();
        });
    jobs.move(kept, blocked());

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
    assertThat(jobs.move(id, blocked())).isTrue();

    assertThat(jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now()))).isFalse();
    assertThat(jobs.move(id, new Transition.InProgress())).isFalse();
    assertThat(jobs.move(id, new Transition.Archiving(completed(id, 1)))).isFalse();
    assertThat(jobs.move(id, new Transition.Cancelled("user:alice", "cancel"))).isFalse();
    assertThat(jobs.move(id, new Transition.Failed(ErrorCode.UNKNOWN, "again", "worker")))
        .isFalse();

    EditJob job = jobs.find(id).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorCode()).isEqualTo(ErrorCode.CONTENT_POLICY);
    assertThat(jobs.transitions(id, 0)).hasSize(2);
    assertThat(completedMessagesInOutbox(id)).as("no EditCompleted for a failed job").isZero();
  }

  @Test
  void aRetryStartsANewAttemptAndAStaleAttemptCannotRecordItsSubmission() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now()));
    assertThat(jobs.move(id, new Transition.Retry(1, ErrorCode.PROVIDER_UNAVAILABLE, "worker")))
        .isTrue();

    assertThat(jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now()))).isFalse();
    EditJob job = jobs.find(id).orElseThrow();
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.falRequest()).isNull();
    assertThat(jobs.move(id, new Transition.Submitted(2, aFalRequest(), Instant.now()))).isTrue();
  }

  @Test
  void exactlyOneOfManyRacingTransitionsWins() throws Exception {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    // Every racer ends the job, so no two of them can both win, whatever the order.
    List<Callable<Boolean>> racers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      racers.add(() -> jobs.move(id, new Transition.Cancelled("user:alice", "cancel")));
      racers.add(() -> jobs.move(id, blocked()));
      racers.add(() -> jobs.move(id, new Transition.TimedOut("sweeper", "deadline passed")));
    }
    int winners = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<Boolean> result : pool.invokeAll(racers)) {
        winners += result.get() ? 1 : 0;
      }
    }

    assertThat(winners).isOne();
    List<JobTransition> history = jobs.transitions(id, 0);
    assertThat(history).hasSize(2);
    assertThat(history.getLast().to()).isEqualTo(jobs.find(id).orElseThrow().status());
  }

  @Test
  void succeedsOnlyOnceEveryExpectedOutputIsRecorded() {
    EditJobId id = jobs.create(aNewJob("alice"), "user:alice").id();
    jobs.move(id, new Transition.Submitted(1, aFalRequest(), Instant.now()));
    jobs.move(id, new Transition.Archiving(completed(id, 2)));

    recordOutput(id, 0);
    assertThat(jobs.move(id, new Transition.Succeeded())).isFalse();
    recordOutput(id, 1);
    assertThat(jobs.move(id, new Transition.Succeeded())).isTrue();
    assertThat(jobs.move(id, new Transition.Succeeded())).isFalse();

    assertThat(jobs.outputs(id)).extracting(ArchivedOutput::index).containsExactly(0, 1);
    assertThat(jobs.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(jobs.transitions(id, 0).getLast().reason())
        .isEqualTo("archived 2 output(s), 20 bytes");
  }

  @Test
  void endingAJobAtFalOwesACancelToFalAndEndingAQueuedOneDoesNot() {
    EditJobId atFal = jobs.create(aNewJob("alice"), "user:alice").id();
    jobs.move(atFal, new Transition.Submitted(1, aFalRequest(), Instant.now().plusSeconds(3600)));
    EditJobId queued = jobs.create(aNewJob("alice"), "user:alice").id();

    jobs.move(atFal, new Transition.Cancelled("user:alice", "user cancelled"));
    jobs.move(queued, new Transition.TimedOut("sweeper", "deadline passed"));

    assertThat(jobs.find(atFal).orElseThrow().falCancelPending()).isTrue();
    assertThat(jobs.find(queued).orElseThrow().falCancelPending()).isFalse();
    assertThat(jobs.find(queued).orElseThrow().errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  private static Transition blocked() {
    return new Transition.Failed(ErrorCode.CONTENT_POLICY, "blocked", "worker");
  }

  private void recordOutput(EditJobId id, int index) {
    jdbc.sql(
            """
            insert into edit_output (job_id, output_index, object_key, content_type, width, height,
              bytes, sha256, archived_at)
            values (:id, :index, 'outputs/x.png', 'image/png', 1, 1, 10, :sha256, now())
            """)
        .param("id", id.value())
        .param("index", index)
        .param("sha256", "0".repeat(64))
        .update();
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
}
