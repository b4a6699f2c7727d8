package dev.editflow.archiver.archive;

import dev.editflow.jobs.ArchivedOutput;
import dev.editflow.model.EditJobId;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The archiver's part of the job: the outputs it archived, one row each in {@code edit_output}. The
 * job core reads them back ({@link dev.editflow.jobs.EditJobs#outputs}) and moves the job to {@code
 * SUCCEEDED} once they cover every expected output.
 */
@Component
class OutputRecords {

  private final JdbcClient jdbc;

  OutputRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records an archived output once; a second archive of the same output (a redelivery) changes
   * nothing.
   *
   * @return {@literal true} if this call recorded it
   */
  boolean record(EditJobId id, ArchivedOutput output) {
    return jdbc.sql(
                """
                insert into edit_output (job_id, output_index, object_key, content_type, width,
                  height, bytes, sha256, archived_at)
                values (:id, :index, :key, :type, :width, :height, :bytes, :sha256, :at)
                on conflict (job_id, output_index) do nothing
                """)
            .param("id", id.value())
            .param("index", output.index())
            .param("key", output.objectKey())
            .param("type", output.contentType())
            .param("width", output.width())
            .param("height", output.height())
            .param("bytes", output.bytes())
            .param("sha256", output.sha256())
            .param("at", Timestamp.from(output.archivedAt()))
            .update()
        == 1;
  }
}
