package dev.editflow.worker.jobs;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobRows;
import dev.editflow.model.EditJobId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When the worker looks at a job's request at fal next: leases that keep replicas off each other's
 * jobs, the poll schedule and the cancels still owed to fal.
 */
@Component
public class PollLeases {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final EditJobRows rows;
  private final Clock clock;

  PollLeases(JdbcClient jdbc, TransactionTemplate transactions, EditJobRows rows, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.rows = rows;
    this.clock = clock;
  }

  /**
   * Claims up to {@code limit} jobs whose fal request is due for a look (or whose cancel at fal is
   * still owed), oldest due first. Each claimed job is pushed {@code lease} into the future, so
   * another replica does not look at it too; a replica that dies mid-look loses nothing, the job
   * simply comes due again when the lease ends.
   */
  public List<EditJob> claimDue(int limit, Duration lease) {
    return transactions.execute(
        tx -> {
          Instant now = clock.instant();
          List<String> ids =
              jdbc.sql(
                      """
                      select id from edit_job
                      where (status in ('SUBMITTED', 'IN_PROGRESS') or fal_cancel_pending)
                        and next_poll_at <= :now
                      order by next_poll_at limit :limit
                      for update skip locked
                      """)
                  .param("now", Timestamp.from(now))
                  .param("limit", limit)
                  .query(String.class)
                  .list();
          if (ids.isEmpty()) {
            return List.of();
          }
          jdbc.sql("update edit_job set next_poll_at = :until where id in (:ids)")
              .param("until", Timestamp.from(now.plus(lease)))
              .param("ids", ids)
              .update();
          return jdbc.sql("select " + EditJobRows.COLUMNS + " from edit_job where id in (:ids)")
              .param("ids", ids)
              .query(rows::job)
              .list();
        });
  }

  /** Sets when the worker looks at the job's fal request next; counts the look just made. */
  public void scheduleNext(EditJobId id, Instant nextPollAt) {
    jdbc.sql(
            """
            update edit_job set next_poll_at = :next, poll_count = poll_count + 1
            where id = :id
            """)
        .param("next", Timestamp.from(nextPollAt))
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
