package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.JobTransition;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A job goes to fal once, however often its message arrives, and ends with the right status and
 * stable error code whatever fal does.
 */
class WorkerFlowIT extends WorkerIntegrationTest {

  @Test
  void submitsOnceTracksTheRequestAndHandsTheOutputsToTheArchiver() {
    String prompt = prompt("purple sky");
    EditJobId id = createJob(prompt, Duration.ofMinutes(5));

    EditCompleted completed = awaitCompleted(id);

    EditJob job = job(id);
    assertThat(job.status()).isEqualTo(JobStatus.ARCHIVING);
    assertThat(jobs.transitions(id, 0))
        .extracting(JobTransition::to)
        .containsSubsequence(
            JobStatus.QUEUED, JobStatus.SUBMITTED, JobStatus.IN_PROGRESS, JobStatus.ARCHIVING);
    assertThat(completed.attempt()).isEqualTo(1);
    assertThat(completed.falRequestId()).isEqualTo(job.falRequest().requestId());
    assertThat(completed.images()).hasSize(1);
    assertThat(completed.images().getFirst().index()).isZero();
    assertThat(completed.images().getFirst().url()).startsWith(FalSimulator.baseUri().toString());
    assertThat(FalSimulator.request(prompt).path("request_id").asString())
        .isEqualTo(completed.falRequestId());
  }

  @Test
  void submitsADuplicatedOrRedeliveredRequestOnlyOnce() {
    String prompt = prompt("duplicated");
    EditJobId id = createJob(prompt, Duration.ofMinutes(5));
    publishEditRequested(id, 1);
    publishEditRequested(id, 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> job(id).falRequest() != null);

    publishEditRequested(id, 1);

    awaitStatus(id, JobStatus.ARCHIVING, Duration.ofSeconds(30));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> FalSimulator.submissions(prompt) == 1);
  }

  @Test
  void retriesASubmitThatFalRefusedWith429() {
    String prompt = prompt("rate limited");
    EditJobId id;
    try (var refusing =
        FalSimulator.change("{\"faults\":{\"submit\":{\"http429\":1.0,\"retry-after\":\"1s\"}}}")) {
      long refusedBefore = FalSimulator.calls("submit", "429");
      id = createJob(prompt, Duration.ofMinutes(5));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> FalSimulator.calls("submit", "429") >= refusedBefore + 2);
      assertThat(status(id)).isEqualTo(JobStatus.QUEUED);
    }

    awaitStatus(id, JobStatus.ARCHIVING, Duration.ofSeconds(60));
    assertThat(FalSimulator.submissions(prompt)).isEqualTo(1);
  }

  @Test
  void failsAContentPolicyRejectionWithItsStableCode() {
    try (var faults = FalSimulator.change("{\"faults\":{\"content-policy\":1.0}}")) {
      EditJobId id = createJob(prompt("blocked"), Duration.ofMinutes(5));

      awaitStatus(id, JobStatus.FAILED, Duration.ofSeconds(30));
      assertThat(job(id).errorCode()).isEqualTo(ErrorCode.CONTENT_POLICY);
      assertThat(job(id).attempt()).isEqualTo(1);
    }
  }

  @Test
  void startsANewAttemptWhenFalFailsRetryablyAndGivesUpAfterTheLast() {
    try (var faults =
        FalSimulator.change("{\"faults\":{\"runner-failure\":1.0,\"runner-attempts\":1}}")) {
      String prompt = prompt("runner down");
      EditJobId id = createJob(prompt, Duration.ofMinutes(5));

      awaitStatus(id, JobStatus.FAILED, Duration.ofSeconds(90));
      assertThat(job(id).errorCode()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
      assertThat(job(id).attempt()).isEqualTo(3);
      assertThat(FalSimulator.submissions(prompt)).as("one fal request per attempt").isEqualTo(3);
    }
  }

  @Test
  void timesOutAJobThatNeverFinishesAndCancelsItAtFal() {
    try (var faults = FalSimulator.change("{\"faults\":{\"stuck\":1.0}}")) {
      String prompt = prompt("stuck");
      EditJobId id = createJob(prompt, Duration.ofSeconds(6));

      awaitStatus(id, JobStatus.TIMED_OUT, Duration.ofSeconds(40));
      await().atMost(Duration.ofSeconds(20)).until(() -> !job(id).falCancelPending());
      assertThat(job(id).errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
      assertThat(FalSimulator.request(prompt).path("cancelled").asBoolean()).isTrue();
    }
  }

  @Test
  void cancelsAtFalWhenTheUserCancelsARunningJob() {
    try (var faults = FalSimulator.change("{\"faults\":{\"stuck\":1.0}}")) {
      String prompt = prompt("cancelled by user");
      EditJobId id = createJob(prompt, Duration.ofMinutes(5));
      awaitStatus(id, JobStatus.IN_PROGRESS, Duration.ofSeconds(30));

      assertThat(jobs.move(id, new Transition.Cancelled("user", "user cancel"))).isTrue();

      await().atMost(Duration.ofSeconds(20)).until(() -> !job(id).falCancelPending());
      assertThat(FalSimulator.request(prompt).path("cancelled").asBoolean()).isTrue();
      assertThat(status(id)).isEqualTo(JobStatus.CANCELLED);
    }
  }
}
