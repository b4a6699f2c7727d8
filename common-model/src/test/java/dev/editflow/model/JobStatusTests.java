package dev.editflow.model;

import static dev.editflow.model.JobStatus.ARCHIVING;
import static dev.editflow.model.JobStatus.CANCELLED;
import static dev.editflow.model.JobStatus.FAILED;
import static dev.editflow.model.JobStatus.IN_PROGRESS;
import static dev.editflow.model.JobStatus.QUEUED;
import static dev.editflow.model.JobStatus.SUBMITTED;
import static dev.editflow.model.JobStatus.SUCCEEDED;
import static dev.editflow.model.JobStatus.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTests {

  @ParameterizedTest
  @EnumSource(
      value = JobStatus.class,
      names = {"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"})
  void terminalStatusesNeverChange(JobStatus terminal) {
    assertThat(terminal.isTerminal()).isTrue();
    for (JobStatus target : JobStatus.values()) {
      assertThat(terminal.canMoveTo(target)).as("%s -> %s", terminal, target).isFalse();
    }
  }

  @Test
  void followsTheHappyPathForwardOnly() {
    assertThat(QUEUED.canMoveTo(SUBMITTED)).isTrue();
    assertThat(SUBMITTED.canMoveTo(IN_PROGRESS)).isTrue();
    assertThat(IN_PROGRESS.canMoveTo(ARCHIVING)).isTrue();
    assertThat(ARCHIVING.canMoveTo(SUCCEEDED)).isTrue();

    assertThat(IN_PROGRESS.canMoveTo(SUBMITTED)).isFalse();
    assertThat(ARCHIVING.canMoveTo(IN_PROGRESS)).isFalse();
    assertThat(QUEUED.canMoveTo(SUCCEEDED)).isFalse();
    assertThat(QUEUED.canMoveTo(ARCHIVING)).isFalse();
  }

  @Test
  void onlyArchivingLeadsToSuccess() {
    assertThat(JobStatus.sourcesOf(SUCCEEDED)).containsExactly(ARCHIVING);
  }

  @Test
  void everyNonTerminalStatusCanFailBeCancelledOrTimeOut() {
    for (JobStatus status : EnumSet.of(QUEUED, SUBMITTED, IN_PROGRESS, ARCHIVING)) {
      assertThat(status.canMoveTo(FAILED)).as("%s -> FAILED", status).isTrue();
      assertThat(status.canMoveTo(CANCELLED)).as("%s -> CANCELLED", status).isTrue();
      assertThat(status.canMoveTo(TIMED_OUT)).as("%s -> TIMED_OUT", status).isTrue();
    }
  }

  @Test
  void generatesWellFormedDistinctIds() {
    EditJobId first = EditJobId.generate();
    EditJobId second = EditJobId.generate();

    assertThat(EditJobId.isWellFormed(first.value())).isTrue();
    assertThat(first).isNotEqualTo(second);
    assertThat(EditJobId.isWellFormed("ed_' or 1=1 --")).isFalse();
    assertThat(UploadId.isWellFormed(UploadId.generate().value())).isTrue();
  }
}
