package dev.editflow.worker.sweep;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobRows;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Unfinished jobs whose deadline passed: the sweeper times them out. */
@Component
class OverdueJobs {

  private final JdbcClient jdbc;
  private final EditJobRows rows;
  private final Clock clock;

  OverdueJobs(JdbcClient jdbc, EditJobRows rows, Clock clock) {
    this.jdbc = jdbc;
    this.rows = rows;
    this.clock = clock;
  }

  /** Oldest deadline first. */
  List<EditJob> find(int limit) {
    return jdbc.sql(
            "select "
                + EditJobRows.COLUMNS
                + """
                 from edit_job
                where status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING')
                  and deadline_at <= :now
                order by deadline_at limit :limit
                """)
        .param("now", Timestamp.from(clock.instant()))
        .param("limit", limit)
        .query(rows::job)
        .list();
  }
}
