package dev.editflow.gateway.lifecycle;

import dev.editflow.gateway.system.GatewayMetrics;
import dev.editflow.model.EditJobId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes files past their retention: the outputs of jobs that ended more than {@code
 * editflow.retention.outputs} ago, and uploads older than {@code editflow.retention.inputs} that no
 * unfinished job needs. Every replica sweeps; rows are claimed with {@code FOR UPDATE SKIP LOCKED},
 * so each file is removed by one of them, and the bucket is cleared before the rows change, so a
 * failed removal is simply tried again next round.
 */
@Component
public class RetentionSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
  private static final int BATCH = 100;

  private record Upload(String id, String objectKey) {}

  /**
   * What one round removed.
   *
   * @param jobs jobs whose outputs left the bucket
   * @param uploads uploads that left the bucket
   */
  public record Swept(int jobs, int uploads) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final BucketFiles files;
  private final RetentionSettings settings;
  private final GatewayMetrics metrics;
  private final Clock clock;

  RetentionSweeper(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      BucketFiles files,
      RetentionSettings settings,
      GatewayMetrics metrics,
      Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.files = files;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${editflow.retention.sweep-interval:1h}",
      initialDelayString = "${editflow.retention.sweep-interval:1h}")
  void sweepNow() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("Sweeping files past their retention failed; trying again later: {}", e.toString());
    }
  }

  /** One full round. */
  public Swept sweep() {
    int jobs = 0;
    int uploads = 0;
    if (settings.outputs().isPositive()) {
      int batch;
      do {
        batch = transactions.execute(tx -> outputsBatch(cutoff(settings.outputs())));
        jobs += batch;
      } while (batch == BATCH);
    }
    if (settings.inputs().isPositive()) {
      int batch;
      do {
        batch = transactions.execute(tx -> inputsBatch(cutoff(settings.inputs())));
        uploads += batch;
      } while (batch == BATCH);
    }
    if (jobs + uploads > 0) {
      LOG.info(
          "Retention removed the outputs of {} job(s) and {} upload(s) from the bucket",
          jobs,
          uploads);
    }
    return new Swept(jobs, uploads);
  }

  private int outputsBatch(Instant endedBefore) {
    List<String> ended =
        jdbc.sql(
                """
                select id from edit_job
                where outputs_purged_at is null
                  and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')
                  and updated_at < :cutoff
                order by updated_at limit :batch
                for update skip locked
                """)
            .param("cutoff", Timestamp.from(endedBefore))
            .param("batch", BATCH)
            .query(String.class)
            .list();
    int removed = 0;
    for (String id : ended) {
      removed += files.removeOutputs(new EditJobId(id));
    }
    if (!ended.isEmpty()) {
      jdbc.sql("delete from edit_output where job_id in (:ids)").param("ids", ended).update();
      jdbc.sql("update edit_job set outputs_purged_at = :now where id in (:ids)")
          .param("now", Timestamp.from(clock.instant()))
          .param("ids", ended)
          .update();
    }
    metrics.filesDeleted("output", "retention", removed);
    return ended.size();
  }

  private int inputsBatch(Instant uploadedBefore) {
    List<Upload> old =
        jdbc.sql(
                """
                select u.id, u.object_key from upload u
                where u.created_at < :cutoff
                  and not exists (
                    select 1 from edit_job j
                    where j.owner_id = u.owner_id
                      and j.status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING')
                      and j.inputs @> jsonb_build_array(jsonb_build_object('uploadId', u.id)))
                order by u.created_at limit :batch
                for update of u skip locked
                """)
            .param("cutoff", Timestamp.from(uploadedBefore))
            .param("batch", BATCH)
            .query((rs, row) -> new Upload(rs.getString(1), rs.getString(2)))
            .list();
    old.forEach(upload -> files.remove(upload.objectKey()));
    if (!old.isEmpty()) {
      jdbc.sql("delete from upload where id in (:ids)")
          .param("ids", old.stream().map(Upload::id).toList())
          .update();
    }
    metrics.filesDeleted("input", "retention", old.size());
    return old.size();
  }

  private Instant cutoff(Duration retention) {
    return clock.instant().minus(retention);
  }
}
