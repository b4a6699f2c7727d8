package dev.editflow.gateway.admin;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobRows;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What operators look for across every owner: quiet jobs, and a job at fal to look at now. */
@Component
class AdminJobQueries {

  private final JdbcClient jdbc;
  private final EditJobRows rows;
  private final Clock clock;

  AdminJobQueries(JdbcClient jdbc, EditJobRows rows, Clock clock) {
    this.jdbc = jdbc;
    this.rows = rows;
    this.clock = clock;
  }

  /**
   * A page of the jobs in {@code status} unchanged since {@code before}, longest unchanged first.
   *
   * @param afterUpdatedAt the last change of the previous page's last job, or {@literal null} for
   *     the first page
   * @param afterId the previous page's last job
   */
  List<EditJob> unchangedBefore(
      JobStatus status,
      Instant before,
      int limit,
      @Nullable Instant afterUpdatedAt,
      @Nullable EditJobId afterId) {
    return jdbc.sql(
            "select "
                + EditJobRows.COLUMNS
                + " from edit_job where status = :status and updated_at <= :before"
                + (afterUpdatedAt == null || afterId == null
                    ? ""
                    : " and (updated_at, id) > (:afterAt, :afterId)")
                + " order by updated_at, id limit :limit")
        .params(
            afterUpdatedAt == null || afterId == null
                ? Map.of()
                : Map.of("afterAt", Timestamp.from(afterUpdatedAt), "afterId", afterId.value()))
        .param("status", status.name())
        .param("before", Timestamp.from(before))
        .param("limit", limit)
        .query(rows::job)
        .list();
  }

  /**
   * Makes a job at fal due for the worker's next look at once, as if its poll time had come: the
   * poller's own path then finds whatever fal knows.
   *
   * @return {@literal false} if the job is not at fal
   */
  boolean pollNow(EditJobId id) {
    return jdbc.sql(
                """
                update edit_job set next_poll_at = :now
                where id = :id and status in ('SUBMITTED', 'IN_PROGRESS')
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("id", id.value())
            .update()
        == 1;
  }
}
