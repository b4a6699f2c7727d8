package dev.editflow.worker.jobs;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobRows;
import dev.editflow.jobs.FalWaitRoom;
import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.model.EditJobId;
import dev.editflow.model.message.EditRequested;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who may submit an attempt to fal now: the submit marker, which lets one delivery of an attempt
 * submit, and the fal slots, which keep the account within its concurrency across every replica.
 */
@Component
public class SubmitStarts {

  /** What {@link #startWithinFalLimit} decided. */
  public enum SubmitStart {
    /** The caller holds the submit marker and a fal slot: submit now. */
    STARTED,
    /** Another delivery holds the marker. */
    TAKEN,
    /**
     * The fal account is at its limit, or others come first: the job waits (still QUEUED) in the
     * wait room until {@link #releaseWaiting} hands it a slot.
     */
    NO_FAL_SLOT
  }

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Outbox outbox;
  private final FalWaitRoom waitRoom;
  private final EditJobRows rows;
  private final Clock clock;

  SubmitStarts(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Outbox outbox,
      FalWaitRoom waitRoom,
      EditJobRows rows,
      Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.outbox = outbox;
    this.waitRoom = waitRoom;
    this.rows = rows;
    this.clock = clock;
  }

  /**
   * The common case of a submit without fal slots in one statement: marks the attempt for submit
   * and reads the job, if it is queued on that attempt, before its deadline and not marked yet.
   * Empty otherwise (a redelivery, a stale marker, a deadline passed): the caller then looks at the
   * job and decides.
   */
  public Optional<EditJob> markFreshSubmit(EditJobId id, int attempt) {
    return jdbc.sql(
            """
            update edit_job set submit_started_at = :now, updated_at = :now
            where id = :id and status = 'QUEUED' and attempt = :attempt
              and fal_request_id is null and submit_started_at is null and deadline_at > :now
            returning
            """
                + EditJobRows.COLUMNS)
        .param("now", Timestamp.from(clock.instant()))
        .param("id", id.value())
        .param("attempt", attempt)
        .query(rows::job)
        .optional();
  }

  /**
   * Records that the worker is about to submit this attempt to fal, if nobody has marked it yet.
   *
   * @return {@literal true} if the caller may submit now
   * @see #markSubmitStarted(EditJobId, int, Instant)
   */
  public boolean markSubmitStarted(EditJobId id, int attempt) {
    return markSubmitStarted(id, attempt, null);
  }

  /**
   * Records that the worker is about to submit this attempt to fal. Only a queued job of that
   * attempt with no fal request yet qualifies, and only while its submit marker is still the one
   * the caller saw: of several deliveries racing for the same attempt exactly one wins, and a stale
   * marker (a worker died while submitting) is taken over by one delivery only.
   *
   * @param seenMarker the job's {@code submitStartedAt} as the caller read it; {@literal null} if
   *     it had none
   * @return {@literal true} if the caller may submit now
   */
  public boolean markSubmitStarted(EditJobId id, int attempt, @Nullable Instant seenMarker) {
    return jdbc.sql(
                """
                update edit_job set submit_started_at = :now, updated_at = :now
                where id = :id and status = 'QUEUED' and attempt = :attempt
                  and fal_request_id is null
                """
                    + (seenMarker == null
                        ? " and submit_started_at is null"
                        : " and submit_started_at = :seen"))
            .params(seenMarker == null ? Map.of() : Map.of("seen", Timestamp.from(seenMarker)))
            .param("now", Timestamp.from(clock.instant()))
            .param("id", id.value())
            .param("attempt", attempt)
            .update()
        == 1;
  }

  /**
   * Removes the submit marker of an attempt whose submit provably created no fal request (fal
   * refused it), so the next delivery may submit without waiting out the grace period.
   */
  public void clearSubmitStarted(EditJobId id, int attempt) {
    jdbc.sql(
            """
            update edit_job set submit_started_at = null
            where id = :id and status = 'QUEUED' and attempt = :attempt and fal_request_id is null
            """)
        .param("id", id.value())
        .param("attempt", attempt)
        .update();
  }

  /**
   * {@link #markSubmitStarted(EditJobId, int, Instant)} for a job that holds a fal slot. A job
   * without one enters the wait room, and free slots (fewer than {@code falConcurrency} jobs being
   * submitted, SUBMITTED, IN_PROGRESS or granted a slot across every replica) go to the waiting
   * jobs in fair-share order, maybe this one. One advisory lock serialises the count, the choice
   * and the marker, so replicas can neither overshoot nor disagree. A {@code falConcurrency} of 0
   * or less means no limit and no wait room.
   *
   * @param weight the job's tier weight: its share of the slots against other users' jobs
   */
  public SubmitStart startWithinFalLimit(
      EditJobId id, int attempt, @Nullable Instant seenMarker, int falConcurrency, double weight) {
    if (falConcurrency <= 0) {
      return markSubmitStarted(id, attempt, seenMarker) ? SubmitStart.STARTED : SubmitStart.TAKEN;
    }
    SubmitStart start =
        transactions.execute(
            tx -> {
              lockFalSlots();
              boolean granted = holdsFalSlot(id, attempt);
              if (!granted) {
                waitRoom.enter(id, attempt, weight);
                for (FalWaitRoom.Grant grant : grantFreeSlots(falConcurrency)) {
                  if (grant.id().equals(id) && grant.attempt() == attempt) {
                    granted = true;
                  } else {
                    outbox.append(new EditRequested(grant.id(), grant.attempt(), clock.instant()));
                  }
                }
              }
              if (!granted) {
                return SubmitStart.NO_FAL_SLOT;
              }
              return markSubmitStarted(id, attempt, seenMarker)
                  ? SubmitStart.STARTED
                  : SubmitStart.TAKEN;
            });
    return start == null ? SubmitStart.TAKEN : start;
  }

  /**
   * Hands the free fal slots to the waiting jobs in fair-share order and sends them to the workers
   * again.
   *
   * @return how many got a slot
   */
  public int releaseWaiting(int falConcurrency) {
    Integer released =
        transactions.execute(
            tx -> {
              lockFalSlots();
              List<FalWaitRoom.Grant> granted = grantFreeSlots(falConcurrency);
              Instant now = clock.instant();
              granted.forEach(
                  grant -> outbox.append(new EditRequested(grant.id(), grant.attempt(), now)));
              return granted.size();
            });
    return released == null ? 0 : released;
  }

  /** Jobs that hold a fal slot now, on every replica. */
  public long jobsAtFal() {
    return jdbc.sql(
            """
            select count(*) from edit_job
            where status in ('SUBMITTED', 'IN_PROGRESS')
               or (status = 'QUEUED' and (submit_started_at is not null or fal_slot_granted))
            """)
        .query(Long.class)
        .single();
  }

  private List<FalWaitRoom.Grant> grantFreeSlots(int falConcurrency) {
    return waitRoom.grant(falConcurrency - jobsAtFal());
  }

  private boolean holdsFalSlot(EditJobId id, int attempt) {
    return jdbc.sql(
            """
            select fal_slot_granted or submit_started_at is not null from edit_job
            where id = :id and status = 'QUEUED' and attempt = :attempt
            """)
        .param("id", id.value())
        .param("attempt", attempt)
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  private void lockFalSlots() {
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended('editflow.fal-slots', 0))")
        .query()
        .singleRow();
  }
}
