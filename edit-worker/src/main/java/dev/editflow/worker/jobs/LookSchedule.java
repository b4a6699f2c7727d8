package dev.editflow.worker.jobs;

import dev.editflow.model.EditJobId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When the worker looks at a job's request at fal next ({@code next_poll_at}), and the cancels
 * still owed to fal. Claiming a due job schedules its next look in the same statement, so a look
 * that finds the request still running writes nothing, and a replica that dies mid-look loses
 * nothing: the job simply comes due again at that time.
 */
@Component
public class LookSchedule {

  /**
   * The pauses between two looks: {@code first} after the first look, growing by {@code factor}
   * each look up to {@code max}, each with ±20 % jitter so that jobs do not look in step.
   */
  public record Pauses(Duration first, double factor, Duration max) {}

  /** The exponent stops growing here; the pause has long reached its cap by then. */
  private static final int MAX_GROWTH_STEPS = 60;

  private final JdbcClient jdbc;
  private final Clock clock;

  LookSchedule(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Claims up to {@code limit} jobs whose fal request is due for a look (or whose cancel at fal is
   * still owed), oldest due first, and schedules each one's next look after the pause its look
   * count calls for. Replicas claiming at once never share a job ({@code FOR UPDATE SKIP LOCKED}).
   */
  public List<JobAtFal> claimDue(int limit, Pauses pauses) {
    return jdbc.sql(
            """
            update edit_job set poll_count = poll_count + 1,
              next_poll_at = cast(:now as timestamptz) + make_interval(secs =>
                least(:maxSeconds, :firstSeconds * power(:factor, least(poll_count, :steps)))
                * (0.8 + random() * 0.4))
            where id in (
              select id from edit_job
              where (status in ('SUBMITTED', 'IN_PROGRESS') or fal_cancel_pending)
                and next_poll_at <= :now
              order by next_poll_at limit :limit
              for update skip locked)
            returning
            """
                + JobAtFal.COLUMNS)
        .param("now", Timestamp.from(clock.instant()))
        .param("maxSeconds", pauses.max().toMillis() / 1000.0)
        .param("firstSeconds", pauses.first().toMillis() / 1000.0)
        .param("factor", pauses.factor())
        .param("steps", MAX_GROWTH_STEPS)
        .param("limit", limit)
        .query(JobAtFal::read)
        .list();
  }

  /** The job as tracking sees it. */
  public Optional<JobAtFal> find(EditJobId id) {
    return jdbc.sql("select " + JobAtFal.COLUMNS + " from edit_job where id = :id")
        .param("id", id.value())
        .query(JobAtFal::read)
        .optional();
  }

  /** Makes the job due for a look now (a webhook said its request finished, without the result). */
  public void dueNow(EditJobId id) {
    jdbc.sql("update edit_job set next_poll_at = :now where id = :id")
        .param("now", Timestamp.from(clock.instant()))
        .param("id", id.value())
        .update();
  }

  /** The worker told fal to cancel (or fal no longer has the request). */
  public void cancelDone(EditJobId id) {
    jdbc.sql("update edit_job set fal_cancel_pending = false where id = :id")
        .param("id", id.value())
        .update();
  }
}
