package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The soak, few-minute version by default (2 minutes at 1 job/s, within the 6 fal slots of the
 * build's stack). The 30-minute run is {@code bin/soak}; see the README's "Soak".
 */
class SoakSystemIT {

  @Test
  void nothingKeepsGrowingAndEveryJobEndsUnderSteadyLoadAndFaults() throws Exception {
    SoakSettings settings = SoakSettings.fromSystemProperties();

    SoakRun.Result result = new SoakRun(settings, EditflowStack.get()).run();
    System.out.println(result.resources().table());
    System.out.println("offered jobs: " + result.offered());
    System.out.println(result.jobs().table());

    assertThat(result.resources().judged())
        .as("series judged for growth")
        .extracting(row -> row.key().metric())
        .contains(
            SoakMetric.HEAP_AFTER_GC,
            SoakMetric.LIVE_THREADS,
            SoakMetric.OPEN_FILES,
            SoakMetric.DB_POOL,
            SoakMetric.BROKER_CHANNELS,
            SoakMetric.OUTBOX,
            SoakMetric.UNFINISHED_JOBS);
    assertThat(result.resources().growing()).as("series that keep growing").isEmpty();
    assertThat(result.jobs().accepted()).as("accepted").isEqualTo(result.offered());
    assertThat(result.jobs().lost()).as("lost").isZero();
    assertThat(result.jobs().stuck()).as("stuck").isZero();
    assertThat(result.jobs().duplicateFalSubmissions()).as("duplicate fal submissions").isZero();
    assertThat(result.jobs().duplicateArchives()).as("duplicate archives").isZero();
    assertThat(result.jobs().faultsInjected()).isNotEmpty();
  }
}
