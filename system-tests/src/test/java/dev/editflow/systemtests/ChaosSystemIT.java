package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.stack.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * The chaos run, CI-sized by default (100 jobs). The full run is {@code bin/chaos-run} (1,000
 * jobs); see the README's "Delivery guarantees".
 */
class ChaosSystemIT {

  @Test
  void losesDuplicatesAndStrandsNothingWhileEverythingFails() throws Exception {
    ChaosSettings settings = ChaosSettings.fromSystemProperties();

    ChaosSummary summary = new ChaosRun(settings, EditflowStack.get()).run();
    System.out.println(summary.table());

    assertThat(summary.accepted()).isEqualTo(settings.jobs());
    assertThat(summary.lost()).as("lost").isZero();
    assertThat(summary.stuck()).as("stuck").isZero();
    assertThat(summary.duplicateFalSubmissions()).as("duplicate fal submissions").isZero();
    assertThat(summary.duplicateArchives()).as("duplicate archives").isZero();
    assertThat(summary.slowestGracefulStop())
        .as("a SIGTERMed service exits by itself, before it would be SIGKILLed")
        .isLessThan(ServiceProcess.GRACE);
    assertThat(summary.mostJobsAtFal())
        .as("jobs at fal at once, across both workers")
        .isLessThanOrEqualTo(EditflowStack.FAL_CONCURRENCY);
    assertThat(summary.faultsInjected()).isNotEmpty();
  }
}
