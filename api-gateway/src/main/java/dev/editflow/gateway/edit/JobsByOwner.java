package dev.editflow.gateway.edit;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobRows;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The gateway's reads of one owner's jobs: by id, by idempotency key, and page by page. A deleted
 * job or another owner's job does not exist here.
 */
@Component
class JobsByOwner {

  private final JdbcClient jdbc;
  private final EditJobRows rows;

  JobsByOwner(JdbcClient jdbc, EditJobRows rows) {
    this.jdbc = jdbc;
    this.rows = rows;
  }

  /**
   * The job if it exists, belongs to {@code ownerId} and was not deleted; another owner's job does
   * not exist.
   */
  Optional<EditJob> find(EditJobId id, String ownerId) {
    return jdbc.sql(
            "select "
                + EditJobRows.COLUMNS
                + " from edit_job where id = :id and owner_id = :owner and deleted_at is null")
        .param("id", id.value())
        .param("owner", ownerId)
        .query(rows::job)
        .optional();
  }

  Optional<EditJob> findByIdempotencyKey(String ownerId, String idempotencyKey) {
    return jdbc.sql(
            "select "
                + EditJobRows.COLUMNS
                + " from edit_job where owner_id = :owner and idempotency_key = :key")
        .param("owner", ownerId)
        .param("key", idempotencyKey)
        .query(rows::job)
        .optional();
  }

  /**
   * The owner's jobs, newest first.
   *
   * @param before only jobs older than this one (the cursor of the previous page), or {@literal
   *     null} for the first page
   */
  List<EditJob> list(
      String ownerId, @Nullable JobStatus status, int limit, @Nullable EditJobId before) {
    StringBuilder sql =
        new StringBuilder(
            "select "
                + EditJobRows.COLUMNS
                + " from edit_job where owner_id = :owner and deleted_at is null");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("owner", ownerId);
    if (status != null) {
      sql.append(" and status = :status");
      params.put("status", status.name());
    }
    if (before != null) {
      sql.append(" and id < :before");
      params.put("before", before.value());
    }
    sql.append(" order by id desc limit :limit");
    params.put("limit", limit);
    return jdbc.sql(sql.toString()).params(params).query(rows::job).list();
  }
}
