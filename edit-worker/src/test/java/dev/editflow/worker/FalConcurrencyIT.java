package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import dev.editflow.testsupport.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The fal account's concurrency limit holds: with more jobs than slots, the jobs at fal never
 * exceed the limit, the rest wait with us and all of them get their turn, each submitted once.
 */
class FalConcurrencyIT extends WorkerIntegrationTest {

  static final int SLOTS = 2;

  /** Jobs of earlier test classes may still hold slots in the shared database. */
  static final long HELD_BEFORE = settledJobsAtFal();

  @DynamicPropertySource
  static void falLimit(DynamicPropertyRegistry registry) {
    registry.add("editflow.worker.fal-concurrency", () -> HELD_BEFORE + SLOTS);
    registry.add("editflow.worker.fal-slot-interval", () -> "100ms");
  }

  @Autowired MeterRegistry meters;

  @Test
  void neverHasMoreJobsAtFalThanTheAccountAllows() throws Exception {
    AtomicLong mostAtFal = new AtomicLong();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (watching.get()) {
                    mostAtFal.accumulateAndGet(jobsAtFal(), Math::max);
                  }
                });
    List<String> prompts = new ArrayList<>();
    List<EditJobId> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String prompt = prompt("slot " + i);
      prompts.add(prompt);
      ids.add(createJob(prompt, Duration.ofMinutes(5)));
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ids.stream().allMatch(id -> status(id) == JobStatus.ARCHIVING));
    watching.set(false);
    watcher.join();

    assertThat(mostAtFal.get()).isLessThanOrEqualTo(HELD_BEFORE + SLOTS);
    assertThat(meters.counter("editflow.worker.fal-slot-waits").count())
        .as("some jobs had to wait for a slot")
        .isPositive();
    for (String prompt : prompts) {
      assertThat(FalSimulator.submissions(prompt)).as(prompt).isEqualTo(1);
    }
  }

  /** Counted on a connection of its own, as an operator's query would. */
  /** Jobs counted against the fal account: at fal, or marked as being submitted. */
  private static final String AT_FAL =
      "status in ('SUBMITTED', 'IN_PROGRESS') or (status = 'QUEUED' and submit_started_at is not"
          + " null)";

  /**
   * Ends (FAILED) the jobs earlier test classes left at fal and counts what is still held: a left
   * job would otherwise be finished by this class's own poller mid-test, or by an earlier class's
   * cached context, and free slots this class never asked for.
   */
  static long settledJobsAtFal() {
    TestPostgres postgres = TestPostgres.get();
    try (var db =
        DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
      db.createStatement().executeUpdate("update edit_job set status = 'FAILED' where " + AT_FAL);
    } catch (java.sql.SQLException e) {
      // before the first migration there is no table and no job
    }
    return jobsAtFal();
  }

  static long jobsAtFal() {
    TestPostgres postgres = TestPostgres.get();
    try (var db =
            DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.username(), postgres.password());
        ResultSet rs =
            db.createStatement().executeQuery("select count(*) from edit_job where " + AT_FAL)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      // before the first migration there is no table and no job
      return 0;
    }
  }
}
