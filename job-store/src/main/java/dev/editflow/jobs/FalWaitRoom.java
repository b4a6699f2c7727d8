package dev.editflow.jobs;

import dev.editflow.model.EditJobId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Jobs waiting for a free fal slot, served by self-clocked weighted fair queuing. A job entering
 * gets a virtual finish time: the later of the clock and its owner's latest tag, plus 1 / its
 * tier's weight. Free slots go to the smallest tags; each grant moves the clock to the granted tag.
 * So users take turns (a user's second job is tagged behind everybody's first), a weight of 4 buys
 * four turns to one, and a user who was idle starts at the clock, not ahead of it. Every tag a
 * newcomer gets is beyond the clock, and the clock reaches any waiting tag after finitely many
 * grants: nobody starves. Callers hold the fal-slot advisory lock, which makes the decision one at
 * a time across every replica.
 *
 * <p>The worker puts jobs in the room and hands out slots; the gateway shows a job's {@link
 * #position}. It changes no status: a granted job is sent to a worker again and stays {@code
 * QUEUED} until it is submitted.
 */
public final class FalWaitRoom {

  /** A job that got a slot. */
  public record Grant(EditJobId id, int attempt) {}

  private static final String IN_ROOM = "waiting_for_fal_slot and status = 'QUEUED'";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final MeterRegistry meters;

  public FalWaitRoom(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * Puts a queued attempt in the room, unless it is in already or holds a slot (a redelivery keeps
   * its place).
   *
   * @param weight its owner's tier weight, above 0
   */
  public void enter(EditJobId id, int attempt, double weight) {
    String owner =
        jdbc.sql(
                """
                update edit_job set waiting_for_fal_slot = true, fal_waiting_since = :now,
                  fal_virtual_finish = :step + greatest(
                    (select virtual_time from fal_slot_clock where id = 1),
                    (select max(mine.fal_virtual_finish) from edit_job mine
                     where mine.owner_id = edit_job.owner_id
                       and mine.status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING')))
                where id = :id and status = 'QUEUED' and attempt = :attempt
                  and not waiting_for_fal_slot and not fal_slot_granted
                returning owner_id
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param(
                "step", BigDecimal.ONE.divide(BigDecimal.valueOf(weight), 9, RoundingMode.HALF_UP))
            .param("id", id.value())
            .param("attempt", attempt)
            .query(String.class)
            .optional()
            .orElse(null);
    if (owner != null) {
      oldestFirstWithin(owner);
    }
  }

  /**
   * Messages may bring an owner's jobs out of order: its tags go to its waiting jobs oldest first,
   * so within one user the oldest job is always served first.
   */
  private void oldestFirstWithin(String owner) {
    jdbc.sql(
            """
            update edit_job set fal_virtual_finish = tags.finish
            from (select by_age.id, by_tag.finish
                  from (select id, row_number() over (order by created_at, id) as n
                        from edit_job where owner_id = :owner and %1$s) by_age
                  join (select fal_virtual_finish as finish,
                          row_number() over (order by fal_virtual_finish) as n
                        from edit_job where owner_id = :owner and %1$s) by_tag
                  on by_age.n = by_tag.n) tags
            where edit_job.id = tags.id and edit_job.fal_virtual_finish <> tags.finish
            """
                .formatted(IN_ROOM))
        .param("owner", owner)
        .update();
  }

  /** Hands up to {@code free} slots to the smallest tags and moves the clock to the last one. */
  public List<Grant> grant(long free) {
    if (free <= 0) {
      return List.of();
    }
    Instant now = clock.instant();
    List<Grant> granted =
        jdbc.sql(
                """
                update edit_job set waiting_for_fal_slot = false, fal_slot_granted = true
                where id in (select id from edit_job where %s
                  order by fal_virtual_finish, created_at, id limit :free
                  for update skip locked)
                returning id, attempt, tier, fal_virtual_finish, fal_waiting_since
                """
                    .formatted(IN_ROOM))
            .param("free", free)
            .query(
                (rs, row) -> {
                  Timestamp since = rs.getTimestamp("fal_waiting_since");
                  waited(
                      rs.getString("tier"),
                      since == null ? Duration.ZERO : Duration.between(since.toInstant(), now));
                  return new Grant(new EditJobId(rs.getString("id")), rs.getInt("attempt"));
                })
            .list();
    if (!granted.isEmpty()) {
      jdbc.sql(
              """
              update fal_slot_clock set virtual_time = greatest(virtual_time,
                (select max(fal_virtual_finish) from edit_job where id in (:ids)))
              where id = 1
              """)
          .param("ids", granted.stream().map(grant -> grant.id().value()).toList())
          .update();
    }
    return granted;
  }

  /**
   * The job's place in the room (1: next to get a slot), counted through the room's index in
   * serving order; empty if it is not waiting. A position, not a promise: a user with nothing
   * waiting may still be served before it, fair share is about turns, not arrival.
   */
  public Optional<Long> position(EditJobId id) {
    return jdbc.sql(
            """
            select 1 + (select count(*) from edit_job ahead
                where ahead.waiting_for_fal_slot and ahead.status = 'QUEUED'
                  and (ahead.fal_virtual_finish, ahead.created_at, ahead.id)
                    < (me.fal_virtual_finish, me.created_at, me.id))
            from edit_job me
            where me.id = :id and me.waiting_for_fal_slot and me.status = 'QUEUED'
            """)
        .param("id", id.value())
        .query(Long.class)
        .optional();
  }

  private void waited(String tier, Duration waited) {
    Timer.builder("editflow.fal.slot.wait")
        .description("Time a job waited in the wait room for a free fal slot")
        .tag("tier", tier)
        .publishPercentileHistogram()
        .register(meters)
        .record(waited);
  }
}
