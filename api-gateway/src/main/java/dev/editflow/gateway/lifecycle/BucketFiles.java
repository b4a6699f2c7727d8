package dev.editflow.gateway.lifecycle;

import dev.editflow.model.EditJobId;
import dev.editflow.storage.ObjectKeys;
import dev.editflow.storage.ObjectStoreSettings;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Removes a job's files from our bucket, for a delete and for retention alike. Removing a file that
 * is already gone succeeds, so every caller may simply try again after a failure.
 */
@Component
class BucketFiles {

  /** An upload and where its file is. */
  record StoredUpload(String id, String objectKey) {}

  private final S3Client s3;
  private final ObjectStoreSettings storage;
  private final JdbcClient jdbc;

  BucketFiles(S3Client s3, ObjectStoreSettings storage, JdbcClient jdbc) {
    this.s3 = s3;
    this.storage = storage;
    this.jdbc = jdbc;
  }

  /**
   * Removes every output file of the job, recorded or not.
   *
   * @return how many files were removed
   */
  int removeOutputs(EditJobId job) {
    List<S3Object> files =
        s3
            .listObjectsV2Paginator(
                b -> b.bucket(storage.bucket()).prefix(ObjectKeys.outputsOf(job)))
            .contents()
            .stream()
            .toList();
    files.forEach(file -> remove(file.key()));
    return files.size();
  }

  void remove(String key) {
    s3.deleteObject(b -> b.bucket(storage.bucket()).key(key));
  }

  /** The job's uploads that no other job of the owner still names: a delete may remove these. */
  List<StoredUpload> uploadsOnlyUsedBy(EditJobId job, String ownerId, List<String> uploadIds) {
    if (uploadIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            select u.id, u.object_key from upload u
            where u.owner_id = :owner and u.id in (:ids)
              and not exists (
                select 1 from edit_job j
                where j.owner_id = u.owner_id and j.id <> :job and j.deleted_at is null
                  and j.inputs @> jsonb_build_array(jsonb_build_object('uploadId', u.id)))
            """)
        .param("owner", ownerId)
        .param("ids", uploadIds)
        .param("job", job.value())
        .query((rs, row) -> new StoredUpload(rs.getString(1), rs.getString(2)))
        .list();
  }
}
