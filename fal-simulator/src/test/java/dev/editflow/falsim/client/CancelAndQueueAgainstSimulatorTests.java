package dev.editflow.falsim.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.fal.CancelOutcome;
import dev.editflow.fal.FalCallFailed;
import dev.editflow.fal.FalStatus;
import dev.editflow.fal.SubmitOptions;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cancel in every state, queue positions behind the concurrency limit, and the start timeout. */
class CancelAndQueueAgainstSimulatorTests extends SimulatorBackedTests {

  @ParameterizedTest(name = "every cancel answered 200: {0}")
  @ValueSource(booleans = {false, true})
  void readsTheCancelOutcomeOfEveryStateFromTheBody(boolean alwaysOk) {
    settings(
        "{\"concurrency-limit\":1,\"cancel\":{\"always-ok\":"
            + alwaysOk
            + ",\"in-progress-completes\":false}}");
    FalRequest finished = fal.submit(PRO, editInput("done"), SubmitOptions.none()).join();
    awaitState(finished, FalStatus.State.COMPLETED);
    settings("{\"faults\":{\"stuck\":1}}");
    FalRequest running = fal.submit(PRO, editInput("stuck"), SubmitOptions.none()).join();
    awaitState(running, FalStatus.State.IN_PROGRESS);
    FalRequest queued = fal.submit(PRO, editInput("waiting"), SubmitOptions.none()).join();
    assertThat(fal.status(queued).join().state()).isEqualTo(FalStatus.State.IN_QUEUE);

    assertThat(fal.cancel(queued).join()).isEqualTo(CancelOutcome.REMOVED);
    assertThat(fal.cancel(running).join()).isEqualTo(CancelOutcome.CANCELLATION_REQUESTED);
    assertThat(fal.cancel(finished).join()).isEqualTo(CancelOutcome.ALREADY_COMPLETED);
    assertThat(fal.cancel(fal.refFor(PRO, "no-such-request")).join())
        .isEqualTo(CancelOutcome.NOT_FOUND);

    if (alwaysOk) {
      assertThat(served("cancel", 200)).isEqualTo(4);
    } else {
      assertThat(
              new long[] {
                served("cancel", 200),
                served("cancel", 202),
                served("cancel", 400),
                served("cancel", 404)
              })
          .containsExactly(1, 1, 1, 1);
    }
    awaitState(running, FalStatus.State.COMPLETED);
    assertThat(failure(fal.result(queued)).code()).isEqualTo(ErrorCode.CANCELLED);
    assertThat(failure(fal.result(running)).code()).isEqualTo(ErrorCode.CANCELLED);
  }

  @Test
  void reportsQueuePositionsBehindTheConcurrencyLimitWithLowPriorityLast() {
    settings("{\"concurrency-limit\":1,\"faults\":{\"stuck\":1}}");
    FalRequest running = fal.submit(PRO, editInput("first"), SubmitOptions.none()).join();
    awaitState(running, FalStatus.State.IN_PROGRESS);
    FalRequest low =
        fal.submit(PRO, editInput("low"), new SubmitOptions(null, true, null, null)).join();
    FalRequest second = fal.submit(PRO, editInput("second"), SubmitOptions.none()).join();
    FalRequest third = fal.submit(PRO, editInput("third"), SubmitOptions.none()).join();

    assertThat(fal.status(second).join().queuePosition()).isZero();
    assertThat(fal.status(third).join().queuePosition()).isEqualTo(1);
    assertThat(fal.status(low).join().queuePosition()).isEqualTo(2);
    assertThat(fal.status(running).join().queuePosition()).isNull();

    fal.cancel(second).join();

    assertThat(fal.status(third).join().queuePosition()).isZero();
    assertThat(fal.status(low).join().queuePosition()).isEqualTo(1);
  }

  @Test
  void reportsOurStartTimeoutWithoutRetryingIt() {
    settings("{\"concurrency-limit\":1,\"faults\":{\"stuck\":1}}");
    FalRequest running = fal.submit(PRO, editInput("hog"), SubmitOptions.none()).join();
    awaitState(running, FalStatus.State.IN_PROGRESS);
    FalRequest starved =
        fal.submit(
                PRO,
                editInput("starved"),
                new SubmitOptions(Duration.ofSeconds(1), false, null, null))
            .join();

    FalStatus completed = awaitState(starved, FalStatus.State.COMPLETED);
    FalCallFailed failed = failure(fal.result(starved));

    assertThat(completed.errorType()).isEqualTo("request_timeout");
    assertThat(failed.code()).isEqualTo(ErrorCode.PROVIDER_TIMEOUT);
    assertThat(failed.httpStatus()).isEqualTo(504);
    assertThat(served("result", 504)).isEqualTo(1);
  }
}
