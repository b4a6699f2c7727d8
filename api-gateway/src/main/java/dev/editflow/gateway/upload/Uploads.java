package dev.editflow.gateway.upload;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The upload records, in the job store's {@code upload} table. */
@Repository
public class Uploads {

  private final JdbcClient jdbc;

  Uploads(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void save(Upload upload) {
    jdbc.sql(
            """
            insert into upload (id, owner_id, object_key, content_type, content_length, file_name,
              created_at, expires_at)
            values (:id, :owner, :key, :type, :length, :name, :created, :expires)
            """)
        .param("id", upload.id())
        .param("owner", upload.ownerId())
        .param("key", upload.objectKey())
        .param("type", upload.contentType())
        .param("length", upload.contentLength())
        .param("name", upload.fileName())
        .param("created", Timestamp.from(upload.createdAt()))
        .param("expires", Timestamp.from(upload.expiresAt()))
        .update();
  }

  /**
   * The upload if it exists and belongs to {@code ownerId}: another user's upload does not exist.
   */
  public Optional<Upload> findOwned(String id, String ownerId) {
    return jdbc.sql("select * from upload where id = :id and owner_id = :owner")
        .param("id", id)
        .param("owner", ownerId)
        .query(
            (rs, row) ->
                new Upload(
                    rs.getString("id"),
                    rs.getString("owner_id"),
                    rs.getString("object_key"),
                    rs.getString("content_type"),
                    rs.getLong("content_length"),
                    rs.getString("file_name"),
                    rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("expires_at").toInstant(),
                    rs.getTimestamp("checked_at") == null
                        ? null
                        : rs.getTimestamp("checked_at").toInstant()))
        .optional();
  }

  /** Records that the upload's bytes passed the checks; the first verdict stays. */
  void markChecked(String id, Instant at) {
    jdbc.sql("update upload set checked_at = :at where id = :id and checked_at is null")
        .param("id", id)
        .param("at", Timestamp.from(at))
        .update();
  }
}
