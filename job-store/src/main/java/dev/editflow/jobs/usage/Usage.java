package dev.editflow.jobs.usage;

import dev.editflow.jobs.usage.LimitExceeded.Limit;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * Reserves, releases and settles usage in PostgreSQL. Each limit is one conditional statement (an
 * upsert that only applies while the sum stays within the limit, or a count under a per-user
 * advisory lock), so concurrent requests on any number of replicas cannot overshoot.
 */
public class Usage {

  private final JdbcClient jdbc;
  private final Clock clock;

  public Usage(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Reserves a new job's images and estimated cost; must run in the transaction that inserts the
   * job, after the insert, so the reservation and the job commit or roll back together.
   *
   * @throws LimitExceeded if any limit would be exceeded (the caller's transaction must roll back)
   */
  public void reserve(
      EditJobId job, String ownerId, int images, BigDecimal costUsd, UsageLimits limits) {
    Assert.state(
        TransactionSynchronizationManager.isActualTransactionActive(),
        "Usage.reserve must run in the job's transaction");
    LocalDate day = today();
    // Serialises this user's submits (only theirs) so the active-jobs count cannot race.
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:owner, 7))")
        .param("owner", ownerId)
        .query()
        .singleRow();
    int active =
        jdbc.sql(
                """
                select count(*) from edit_job where owner_id = :owner and id <> :job
                  and status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING')
                """)
            .param("owner", ownerId)
            .param("job", job.value())
            .query(Integer.class)
            .single();
    if (active >= limits.maxActiveJobs()) {
      throw new LimitExceeded(Limit.ACTIVE_JOBS, Duration.ofSeconds(10));
    }
    int reservedImages =
        jdbc.sql(
                """
                insert into usage_day (owner_id, day, images, cost_usd)
                select :owner, :day, :images, :cost where :images <= :limit
                on conflict (owner_id, day) do update
                  set images = usage_day.images + excluded.images,
                      cost_usd = usage_day.cost_usd + excluded.cost_usd
                  where usage_day.images + excluded.images <= :limit
                """)
            .param("owner", ownerId)
            .param("day", Date.valueOf(day))
            .param("images", images)
            .param("cost", costUsd)
            .param("limit", limits.dailyImages())
            .update();
    if (reservedImages == 0) {
      throw new LimitExceeded(Limit.DAILY_IMAGES, untilTomorrow());
    }
    jdbc.sql("update edit_job set reserved_on = :day, reserved_images = :images where id = :job")
        .param("day", Date.valueOf(day))
        .param("images", images)
        .param("job", job.value())
        .update();
    // The one row all submits share goes last: its lock is held from here to the commit.
    int reservedBudget =
        jdbc.sql(
                """
                insert into spend_day (day, committed_usd)
                select :day, :cost where :cost <= :budget
                on conflict (day) do update
                  set committed_usd = spend_day.committed_usd + excluded.committed_usd
                  where spend_day.committed_usd + excluded.committed_usd <= :budget
                """)
            .param("day", Date.valueOf(day))
            .param("cost", costUsd)
            .param("budget", limits.dailyBudgetUsd())
            .update();
    if (reservedBudget == 0) {
      throw new LimitExceeded(Limit.DAILY_BUDGET, untilTomorrow());
    }
  }

  /**
   * Applies a job's final status to its reservation: success keeps it (reserved is spent); any
   * other end gives the images and the cost back. Runs in the transition's transaction; a job
   * without a reservation (limits off) is left alone.
   */
  public void onFinished(EditJobId job, JobStatus status) {
    var reservation =
        jdbc.sql(
                """
                with reserved as (
                  select id, owner_id, reserved_on, reserved_images, estimated_cost_usd
                  from edit_job where id = :job and reserved_images > 0 for update)
                update edit_job j set reserved_images = 0 from reserved r where j.id = r.id
                returning r.owner_id, r.reserved_on, r.reserved_images, r.estimated_cost_usd
                """)
            .param("job", job.value())
            .query(
                (rs, row) ->
                    new Reservation(
                        rs.getString(1),
                        rs.getDate(2).toLocalDate(),
                        rs.getInt(3),
                        rs.getBigDecimal(4)))
            .optional();
    if (reservation.isEmpty()) {
      return;
    }
    Reservation r = reservation.get();
    if (status == JobStatus.SUCCEEDED) {
      // The reservation simply stays spent; the shared spend row is not touched on success.
      return;
    }
    jdbc.sql(
            """
            update usage_day set images = greatest(images - :images, 0),
              cost_usd = greatest(cost_usd - :cost, 0)
            where owner_id = :owner and day = :day
            """)
        .param("images", r.images())
        .param("cost", r.costUsd())
        .param("owner", r.ownerId())
        .param("day", Date.valueOf(r.day()))
        .update();
    jdbc.sql(
            "update spend_day set committed_usd = greatest(committed_usd - :cost, 0) where day = :day")
        .param("cost", r.costUsd())
        .param("day", Date.valueOf(r.day()))
        .update();
  }

  /**
   * Counts one request of {@code ownerId} in the current one-minute window.
   *
   * @throws LimitExceeded with {@link Limit#REQUEST_RATE} when the window is full
   */
  public void countRequest(String ownerId, int perMinute) {
    Instant now = clock.instant();
    Instant window = now.truncatedTo(ChronoUnit.MINUTES);
    int counted =
        jdbc.sql(
                """
                insert into request_window (owner_id, window_start, requests)
                values (:owner, :window, 1)
                on conflict (owner_id, window_start) do update
                  set requests = request_window.requests + 1
                  where request_window.requests < :limit
                """)
            .param("owner", ownerId)
            .param("window", Timestamp.from(window))
            .param("limit", perMinute)
            .update();
    if (counted == 0) {
      throw new LimitExceeded(
          Limit.REQUEST_RATE,
          Duration.between(now, window.plus(1, ChronoUnit.MINUTES)).plusSeconds(1));
    }
  }

  /** Forgets request windows older than an hour; called now and then by a sweeper. */
  public int purgeOldRequestWindows() {
    return jdbc.sql("delete from request_window where window_start < :before")
        .param("before", Timestamp.from(clock.instant().minus(Duration.ofHours(1))))
        .update();
  }

  public UsageSnapshot snapshot(String ownerId) {
    LocalDate day = today();
    int active =
        jdbc.sql(
                """
                select count(*) from edit_job where owner_id = :owner
                  and status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING')
                """)
            .param("owner", ownerId)
            .query(Integer.class)
            .single();
    var mine =
        jdbc.sql("select images, cost_usd from usage_day where owner_id = :owner and day = :day")
            .param("owner", ownerId)
            .param("day", Date.valueOf(day))
            .query((rs, row) -> new Object[] {rs.getInt(1), rs.getBigDecimal(2)})
            .optional()
            .orElse(new Object[] {0, BigDecimal.ZERO});
    return new UsageSnapshot(
        day, active, (Integer) mine[0], (BigDecimal) mine[1], globalSpendToday());
  }

  /** Spend of all users today: reserved for unfinished jobs and kept for succeeded ones. */
  public BigDecimal globalSpendToday() {
    return jdbc.sql("select committed_usd from spend_day where day = :day")
        .param("day", Date.valueOf(today()))
        .query(BigDecimal.class)
        .optional()
        .orElse(BigDecimal.ZERO);
  }

  /** The limits an operator set for the user; {@link LimitOverrides#NONE} if none. */
  public LimitOverrides overridesOf(String ownerId) {
    return jdbc.sql(
            """
            select max_active_jobs, daily_images, requests_per_minute from user_limits
            where owner_id = :owner
            """)
        .param("owner", ownerId)
        .query(
            (rs, row) ->
                new LimitOverrides(
                    (Integer) rs.getObject(1),
                    (Integer) rs.getObject(2),
                    (Integer) rs.getObject(3)))
        .optional()
        .orElse(LimitOverrides.NONE);
  }

  /**
   * Replaces the user's limits; {@link LimitOverrides#isEmpty() no overrides} gives the user the
   * defaults again. Setting the same limits twice changes nothing.
   */
  public void setOverrides(String ownerId, LimitOverrides limits, String operator) {
    if (limits.isEmpty()) {
      jdbc.sql("delete from user_limits where owner_id = :owner").param("owner", ownerId).update();
      return;
    }
    jdbc.sql(
            """
            insert into user_limits (owner_id, max_active_jobs, daily_images, requests_per_minute,
              updated_by, updated_at)
            values (:owner, :active, :images, :rate, :operator, :now)
            on conflict (owner_id) do update set max_active_jobs = excluded.max_active_jobs,
              daily_images = excluded.daily_images,
              requests_per_minute = excluded.requests_per_minute,
              updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """)
        .param("owner", ownerId)
        .param("active", limits.maxActiveJobs())
        .param("images", limits.dailyImages())
        .param("rate", limits.requestsPerMinute())
        .param("operator", operator)
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private Duration untilTomorrow() {
    Instant now = clock.instant();
    return Duration.between(now, today().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  private record Reservation(String ownerId, LocalDate day, int images, BigDecimal costUsd) {}
}
