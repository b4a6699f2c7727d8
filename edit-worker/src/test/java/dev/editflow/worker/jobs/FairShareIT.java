package dev.editflow.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.FalWaitRoom;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.worker.jobs.SubmitStarts.SubmitStart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The selection rule of the fal wait room, straight against PostgreSQL: the account is kept full
 * (no free slot) while jobs enter, then slots free up one at a time and we watch who gets each.
 */
class FairShareIT extends WorkerJobsIntegrationTest {

  @Autowired SubmitStarts starts;
  @Autowired FalWaitRoom waitRoom;
  @Autowired JdbcClient jdbc;

  /** Each test's users are new, so earlier tests' jobs in the shared database never count. */
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private final Map<EditJobId, String> names = new HashMap<>();
  private int full;

  /** One job of the test's own holds a slot, so that the limit is never 0 (no limit at all). */
  @BeforeEach
  void accountIsFull() {
    EditJobId holder = create("holder-" + run, NewEditJob.DEFAULT_TIER);
    assertThat(starts.markSubmitStarted(holder, 1)).isTrue();
    full = (int) starts.jobsAtFal();
  }

  @Test
  void usersTakeTurnsAndALightUserWaitsForOneJobOfEachOther() {
    List<EditJobId> heavy = submit("heavy", 6, 1);
    EditJobId light = submit("light", 1, 1).getFirst();
    submit("medium", 2, 1);

    assertThat(waitRoom.position(light)).contains(2L);
    assertThat(waitRoom.position(heavy.getLast())).contains(9L);
    assertThat(serveAll())
        .containsExactly(
            "heavy-1",
            "light-1",
            "medium-1",
            "heavy-2",
            "medium-2",
            "heavy-3",
            "heavy-4",
            "heavy-5",
            "heavy-6");
  }

  @Test
  void aHeavierTierBuysTurnsInProportionToItsWeight() {
    submit("free", 4, 1);
    submit("pro", 8, 4);

    // pro's tags: 0.25, 0.5, ... 2.0; free's: 1, 2, 3, 4; ties go to the older job.
    assertThat(serveAll())
        .containsExactly(
            "pro-1", "pro-2", "pro-3", "free-1", "pro-4", "pro-5", "pro-6", "pro-7", "free-2",
            "pro-8", "free-3", "free-4");
  }

  @Test
  void withinOneUserTheOldestJobGoesFirstWhateverOrderTheMessagesCameIn() {
    List<EditJobId> created = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      created.add(create("user", i, NewEditJob.DEFAULT_TIER));
    }
    for (EditJobId id : List.of(created.get(2), created.get(0), created.get(1))) {
      enter(id, 1);
    }

    assertThat(serveAll()).containsExactly("user-1", "user-2", "user-3");
  }

  @Test
  void aRedeliveredMessageKeepsTheJobsPlace() {
    EditJobId first = submit("early", 1, 1).getFirst();
    submit("later", 3, 1);

    enter(first, 1);

    assertThat(waitRoom.position(first)).contains(1L);
    assertThat(serveAll().getFirst()).isEqualTo("early-1");
  }

  @Test
  void newcomersCannotStarveTheOldestWaitingJob() {
    submit("old", 3, 1);
    List<String> served = new ArrayList<>();
    for (int newcomer = 1; served.size() < 30 && !served.contains("old-3"); newcomer++) {
      served.add(serveOne());
      submit("new" + newcomer, 1, 4);
    }

    assertThat(served).contains("old-3");
  }

  @Test
  void aJobThatLeavesTheRoomHasNoPositionAndFreesNoSlotItNeverHad() {
    EditJobId cancelled = submit("quitter", 2, 1).getFirst();

    jobs.move(cancelled, new Transition.Cancelled("user:quitter", "test"));

    assertThat(waitRoom.position(cancelled)).isEmpty();
    assertThat(serveAll()).containsExactly("quitter-2");
  }

  private List<EditJobId> submit(String user, int count, double weight) {
    List<EditJobId> ids = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      EditJobId id = create(user, i, weight > 1 ? "pro" : NewEditJob.DEFAULT_TIER);
      enter(id, weight);
      ids.add(id);
    }
    return ids;
  }

  private EditJobId create(String user, int n, String tier) {
    EditJobId id = create(user + "-" + run, tier);
    names.put(id, user + "-" + n);
    return id;
  }

  private void enter(EditJobId id, double weight) {
    assertThat(starts.startWithinFalLimit(id, 1, null, full, weight))
        .isEqualTo(SubmitStart.NO_FAL_SLOT);
  }

  /** One slot frees up: the job that gets it runs and ends, freeing the slot again. */
  private String serveOne() {
    assertThat(starts.releaseWaiting(full + 1)).isEqualTo(1);
    List<String> granted =
        jdbc.sql(
                "select id from edit_job where fal_slot_granted and status = 'QUEUED'"
                    + " and owner_id like :run and owner_id not like 'holder-%'")
            .param("run", "%-" + run)
            .query(String.class)
            .list();
    assertThat(granted).hasSize(1);
    EditJobId id = new EditJobId(granted.getFirst());
    assertThat(waitRoom.position(id)).isEmpty();
    assertThat(starts.startWithinFalLimit(id, 1, null, full + 1, 1))
        .as("the granted job submits without waiting again")
        .isEqualTo(SubmitStart.STARTED);
    jobs.move(id, new Transition.Cancelled("test", "served"));
    return names.get(id);
  }

  private List<String> serveAll() {
    List<String> served = new ArrayList<>();
    while (waiting() > 0) {
      served.add(serveOne());
    }
    return served;
  }

  private long waiting() {
    return jdbc.sql(
            "select count(*) from edit_job where waiting_for_fal_slot and status = 'QUEUED'"
                + " and owner_id like :run")
        .param("run", "%-" + run)
        .query(Long.class)
        .single();
  }
}
