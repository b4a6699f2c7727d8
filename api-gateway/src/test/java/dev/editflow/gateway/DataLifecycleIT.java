package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.gateway.lifecycle.RetentionSweeper;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.model.EditJobId;
import dev.editflow.storage.ObjectKeys;
import dev.editflow.storage.ObjectStoreSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Deleting an edit and the retention of files, against real PostgreSQL and S3. */
class DataLifecycleIT extends GatewayIntegrationTest {

  @Autowired EditJobs jobs;
  @Autowired JdbcClient jdbc;
  @Autowired S3Client s3;
  @Autowired ObjectStoreSettings storage;
  @Autowired RetentionSweeper retention;
  @Autowired MeterRegistry meters;

  @Test
  void deletingAnEndedEditRemovesItsFilesAndLeavesATombstone() {
    String jo = token("jo-" + UUID.randomUUID());
    String id = submitEdit(jo);
    String uploadKey = uploadKeyOf(id);
    Response running = send(method("DELETE", "/v1/edits/" + id, jo));
    assertThat(running.status()).as(running.toString()).isEqualTo(409);
    assertThat(running.json().get("code").asString()).isEqualTo("JOB_NOT_FINISHED");
    String outputKey = succeedWithOneOutput(id);
    assertThat(exists(outputKey)).isTrue();
    String other = token("kim-" + UUID.randomUUID());
    assertThat(send(method("DELETE", "/v1/edits/" + id, other)).status()).isEqualTo(404);

    Response deleted = send(method("DELETE", "/v1/edits/" + id, jo));

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(exists(outputKey)).as("output file").isFalse();
    assertThat(exists(uploadKey)).as("input file").isFalse();
    assertThat(send(get("/v1/edits/" + id, jo)).status()).isEqualTo(404);
    assertThat(send(get("/v1/edits?limit=100", jo)).json().get("items")).isEmpty();
    assertThat(send(method("DELETE", "/v1/edits/" + id, jo)).status()).as("again").isEqualTo(204);
    // The tombstone: still there for accounting and operators, without the user's content.
    Response tombstone = send(get("/admin/v1/jobs/" + id, adminToken("ops")));
    assertThat(tombstone.json().get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(tombstone.json().get("prompt").asString()).isEmpty();
    assertThat(tombstone.json().get("outputs")).isEmpty();
  }

  @Test
  void anUploadAnotherJobStillNamesStays() {
    String lu = token("lu-" + UUID.randomUUID());
    String uploadId = upload(lu, dev.editflow.testsupport.TestImages.png(20, 20), "image/png");
    Map<String, Object> body =
        Map.of("prompt", "p", "inputs", List.of(Map.of("uploadId", uploadId)));
    String first = send(post("/v1/edits", lu, body)).json().get("id").asString();
    String second = send(post("/v1/edits", lu, body)).json().get("id").asString();
    String uploadKey = uploadKeyOf(first);
    cancel(first);
    cancel(second);

    assertThat(send(method("DELETE", "/v1/edits/" + first, lu)).status()).isEqualTo(204);
    assertThat(exists(uploadKey)).as("the second job still names it").isTrue();
    assertThat(send(method("DELETE", "/v1/edits/" + second, lu)).status()).isEqualTo(204);
    assertThat(exists(uploadKey)).isFalse();
  }

  @Test
  void retentionRemovesOldOutputsAndInputsButNotWhatARunningJobNeeds() {
    String mo = token("mo-" + UUID.randomUUID());
    String old = submitEdit(mo);
    String oldOutput = succeedWithOneOutput(old);
    String oldUpload = uploadKeyOf(old);
    String running = submitEdit(mo);
    String runningUpload = uploadKeyOf(running);
    String recent = submitEdit(mo);
    String recentOutput = succeedWithOneOutput(recent);
    jdbc.sql("update edit_job set updated_at = now() - interval '31 days' where id = :id")
        .param("id", old)
        .update();
    jdbc.sql(
            """
            update upload set created_at = now() - interval '8 days'
            where object_key in (:keys)
            """)
        .param("keys", List.of(oldUpload, runningUpload))
        .update();
    double before = deletedCounter("output");

    RetentionSweeper.Swept swept = retention.sweep();

    assertThat(swept.jobs()).isPositive();
    assertThat(exists(oldOutput)).as("output ended 31 days ago").isFalse();
    assertThat(exists(oldUpload)).as("input of an ended job, 8 days old").isFalse();
    assertThat(exists(runningUpload)).as("input a running job needs").isTrue();
    assertThat(exists(recentOutput)).as("output of a recent job").isTrue();
    assertThat(send(get("/v1/edits/" + old, mo)).json().get("outputs")).isEmpty();
    assertThat(send(get("/v1/edits/" + recent, mo)).json().get("outputs")).hasSize(1);
    assertThat(deletedCounter("output")).isGreaterThan(before);
    assertThat(retention.sweep().jobs()).as("a second round finds nothing of these").isZero();
  }

  private double deletedCounter(String kind) {
    return meters.counter("editflow.files.deleted", "kind", kind, "reason", "retention").count();
  }

  /** Plays the worker and the archiver: one PNG output in the bucket, the job SUCCEEDED. */
  private String succeedWithOneOutput(String id) {
    EditJobId job = new EditJobId(id);
    String key = ObjectKeys.output(job, 0, "png");
    s3.putObject(
        b -> b.bucket(storage.bucket()).key(key).contentType("image/png"),
        RequestBody.fromBytes(dev.editflow.testsupport.TestImages.png(4, 4)));
    jdbc.sql(
            """
            update edit_job set status = 'ARCHIVING', expected_outputs = 1 where id = :id
            """)
        .param("id", id)
        .update();
    jdbc.sql(
            """
            insert into edit_output (job_id, output_index, object_key, content_type, width, height,
              bytes, sha256, archived_at)
            values (:id, 0, :key, 'image/png', 4, 4, 10, :sha256, now())
            """)
        .param("id", id)
        .param("key", key)
        .param("sha256", "0".repeat(64))
        .update();
    assertThat(jobs.move(job, new Transition.Succeeded())).isTrue();
    return key;
  }

  private void cancel(String id) {
    jobs.move(new EditJobId(id), new Transition.Cancelled("test", "cancelled"));
  }

  private String uploadKeyOf(String id) {
    return jobs.find(new EditJobId(id)).orElseThrow().inputs().getFirst().objectKey();
  }

  private boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(storage.bucket()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
