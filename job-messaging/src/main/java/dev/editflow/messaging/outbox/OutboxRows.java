package dev.editflow.messaging.outbox;

import dev.editflow.model.EditJobId;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox table as the relay sees it. Every method is one statement that commits on its own, so
 * the relay never holds a transaction, or a row lock, while it talks to the broker. A claim
 * reserves due rows for one lease: {@code next_attempt_at} moves to the lease's end, so rows of a
 * relay that died come due again by themselves.
 */
class OutboxRows {

  private final JdbcClient jdbc;

  OutboxRows(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Claims up to {@code limit} rows due at {@code now}, oldest first, until {@code now + lease}.
   */
  Batch claim(Instant now, Duration lease, int limit) {
    UUID claim = UUID.randomUUID();
    List<Row> rows =
        jdbc.sql(
                """
                update outbox_message set claimed_by = :claim, next_attempt_at = :leaseEnd
                where id in (
                  select id from outbox_message where next_attempt_at <= :now
                  order by id limit :limit for update skip locked)
                returning id, message_type, message_version, routing_key, payload::text,
                  attempts, created_at, job_id, trace_parent
                """)
            .param("claim", claim)
            .param("leaseEnd", Timestamp.from(now.plus(lease)))
            .param("now", Timestamp.from(now))
            .param("limit", limit)
            .query(
                (rs, n) ->
                    new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getTimestamp(7).toInstant(),
                        new EditJobId(rs.getString(8)),
                        rs.getString(9)))
            .list();
    return new Batch(claim, rows.stream().sorted(Comparator.comparingLong(Row::id)).toList());
  }

  /**
   * Deletes rows the broker confirmed, whoever holds them now: once confirmed, a message is safe,
   * and a relay that claimed it again after a lost lease published a duplicate at worst.
   */
  void delete(List<Long> ids) {
    if (!ids.isEmpty()) {
      jdbc.sql("delete from outbox_message where id in (:ids)").param("ids", ids).update();
    }
  }

  /** Gives back rows that were never sent (the broker failed mid-batch): due again at once. */
  void unclaim(Batch batch, List<Long> ids, Instant now) {
    if (!ids.isEmpty()) {
      jdbc.sql(
              """
              update outbox_message set claimed_by = null, next_attempt_at = :now
              where id in (:ids) and claimed_by = :claim
              """)
          .param("now", Timestamp.from(now))
          .param("ids", ids)
          .param("claim", batch.claim())
          .update();
    }
  }

  /**
   * Gives back a row the broker did not confirm, due again at {@code next}; a no-op if its lease
   * ran out and another relay claimed it meanwhile.
   */
  void retryLater(Batch batch, Row row, Instant next, String error) {
    jdbc.sql(
            """
            update outbox_message set attempts = attempts + 1, last_error = :error,
              next_attempt_at = :next, claimed_by = null
            where id = :id and claimed_by = :claim
            """)
        .param("error", error)
        .param("next", Timestamp.from(next))
        .param("id", row.id())
        .param("claim", batch.claim())
        .update();
  }

  /** How many rows wait, claimed or not, and when the oldest of them was stored. */
  Backlog backlog() {
    return jdbc.sql("select count(*), min(created_at) from outbox_message")
        .query(
            (rs, n) -> {
              Timestamp oldest = rs.getTimestamp(2);
              return new Backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
            })
        .single();
  }

  record Backlog(long rows, @Nullable Instant oldest) {}

  /** Rows claimed together under one lease. */
  record Batch(UUID claim, List<Row> rows) {}

  record Row(
      long id,
      String type,
      int version,
      String routingKey,
      String payload,
      int attempts,
      Instant createdAt,
      EditJobId jobId,
      @Nullable String traceParent) {}
}
