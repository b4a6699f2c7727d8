package dev.editflow.jobs;

import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.EditRequested;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs that stopped moving (a lost message, a dead worker or archiver), found and sent on again by
 * the worker's and the archiver's sweepers and by operators. None of this changes a status: a
 * re-driven job takes its next step through {@link EditJobs#move} as usual.
 */
public class StuckJobs {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Outbox outbox;
  private final EditJobRows rows;
  private final Clock clock;

  public StuckJobs(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Outbox outbox,
      EditJobRows rows,
      Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.outbox = outbox;
    this.rows = rows;
    this.clock = clock;
  }

  /** Jobs in {@code status} that have not changed for {@code quietFor}, oldest first. */
  public List<EditJob> findUnchangedSince(JobStatus status, Duration quietFor, int limit) {
    return jdbc.sql(
            "select "
                + EditJobRows.COLUMNS
                + """
                 from edit_job where status = :status and updated_at <= :before
                order by updated_at limit :limit
                """)
        .param("status", status.name())
        .param("before", Timestamp.from(clock.instant().minus(quietFor)))
        .param("limit", limit)
        .query(rows::job)
        .list();
  }

  /**
   * Touches a stuck job and asks a worker to look at it again.
   *
   * @return {@literal false} if the job moved on in the meantime; nothing was sent then
   */
  public boolean redrive(EditJob job, String reason) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              int touched =
                  jdbc.sql(
                          """
                          update edit_job set updated_at = :now
                          where id = :id and status = :status and attempt = :attempt
                          """)
                      .param("now", Timestamp.from(clock.instant()))
                      .param("id", job.id().value())
                      .param("status", job.status().name())
                      .param("attempt", job.attempt())
                      .update();
              if (touched == 1) {
                outbox.append(new EditRequested(job.id(), job.attempt(), clock.instant()));
              }
              return touched == 1;
            }));
  }

  /**
   * Sends the job's {@link EditCompleted} again when it has been {@code ARCHIVING} for too long;
   * archiving is idempotent, so a duplicate is harmless.
   */
  public boolean redriveArchiving(EditJobId id) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              String completed =
                  jdbc.sql(
                          """
                          update edit_job set updated_at = :now
                          where id = :id and status = 'ARCHIVING' and fal_outputs is not null
                          returning fal_outputs::text
                          """)
                      .param("now", Timestamp.from(clock.instant()))
                      .param("id", id.value())
                      .query(String.class)
                      .optional()
                      .orElse(null);
              if (completed == null) {
                return false;
              }
              outbox.append(rows.fromJson(completed, EditCompleted.class));
              return true;
            }));
  }
}
