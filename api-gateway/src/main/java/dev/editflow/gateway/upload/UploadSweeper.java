package dev.editflow.gateway.upload;

import dev.editflow.gateway.system.GatewayMetrics;
import dev.editflow.storage.ObjectStoreSettings;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deletes uploads that no job used once they are past their expiry: the file in our bucket and the
 * record, so a job that names one later gets {@code UPLOAD_NOT_FOUND}. Every replica sweeps; rows
 * are claimed with {@code FOR UPDATE SKIP LOCKED}, so each upload is deleted by one of them.
 */
@Component
public class UploadSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(UploadSweeper.class);

  private static final int BATCH = 100;

  /**
   * A job can only name an upload that was not yet expired when it was checked, and it commits
   * moments later; sweeping only after this grace keeps a just-accepted job's input in place.
   */
  private static final Duration GRACE = Duration.ofMinutes(10);

  private record Expired(String id, String objectKey) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final S3Client s3;
  private final ObjectStoreSettings storage;
  private final GatewayMetrics metrics;
  private final Clock clock;

  UploadSweeper(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      S3Client s3,
      ObjectStoreSettings storage,
      GatewayMetrics metrics,
      Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.s3 = s3;
    this.storage = storage;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${editflow.gateway.uploads.sweep-interval:5m}",
      initialDelayString = "${editflow.gateway.uploads.sweep-interval:5m}")
  void sweepNow() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("Sweeping expired uploads failed; trying again later: {}", e.toString());
    }
  }

  /**
   * @return how many uploads this call deleted
   */
  public int sweep() {
    int total = 0;
    int deleted;
    do {
      deleted = transactions.execute(tx -> sweepBatch());
      metrics.uploadsExpired(deleted);
      total += deleted;
    } while (deleted == BATCH);
    return total;
  }

  /** S3 first: if it fails, the transaction rolls back and the rows are swept again later. */
  private int sweepBatch() {
    List<Expired> batch =
        jdbc.sql(
                """
                select u.id, u.object_key from upload u
                where u.expires_at < :cutoff
                  and not exists (
                    select 1 from edit_job j
                    where j.owner_id = u.owner_id
                      and j.inputs @> jsonb_build_array(jsonb_build_object('uploadId', u.id)))
                order by u.expires_at
                limit :batch
                for update of u skip locked
                """)
            .param("cutoff", Timestamp.from(clock.instant().minus(GRACE)))
            .param("batch", BATCH)
            .query((rs, row) -> new Expired(rs.getString("id"), rs.getString("object_key")))
            .list();
    for (Expired upload : batch) {
      s3.deleteObject(b -> b.bucket(storage.bucket()).key(upload.objectKey()));
    }
    if (!batch.isEmpty()) {
      jdbc.sql("delete from upload where id in (:ids)")
          .param("ids", batch.stream().map(Expired::id).toList())
          .update();
    }
    return batch.size();
  }
}
