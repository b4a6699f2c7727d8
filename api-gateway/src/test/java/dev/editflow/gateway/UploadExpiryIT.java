package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.gateway.upload.UploadSweeper;
import dev.editflow.testsupport.TestImages;
import dev.editflow.testsupport.TestS3;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class UploadExpiryIT extends GatewayIntegrationTest {

  @Autowired UploadSweeper sweeper;
  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;

  @Test
  void deletesUnusedUploadsPastTheirExpiryAndKeepsTheOnesJobsUse() {
    String kim = token("kim-" + UUID.randomUUID());
    String unused = upload(kim, TestImages.png(16, 16), "image/png");
    String used = upload(kim, TestImages.png(16, 16), "image/png");
    String fresh = upload(kim, TestImages.png(16, 16), "image/png");
    assertThat(editWith(kim, used).status()).isEqualTo(202);
    expire(unused);
    expire(used);
    double expiredBefore = expiredCount();

    int swept = sweeper.sweep();

    assertThat(swept).isEqualTo(1);
    assertThat(expiredCount() - expiredBefore).isEqualTo(1);
    assertThat(stored(unused)).as("file of the unused upload").isFalse();
    assertThat(recorded(unused)).as("record of the unused upload").isFalse();
    assertThat(stored(used)).as("a job's input is kept").isTrue();
    assertThat(stored(fresh)).as("an upload still waiting is kept").isTrue();
    Response late = editWith(kim, unused);
    assertThat(late.status()).isEqualTo(404);
    assertThat(late.json().get("code").asString()).isEqualTo("UPLOAD_NOT_FOUND");
    Response reuse = editWith(kim, used);
    assertThat(reuse.json().get("code").asString()).isEqualTo("UPLOAD_EXPIRED");
  }

  @Test
  void deletesEachUploadOnceWhenReplicasSweepTogether() throws Exception {
    String lee = token("lee-" + UUID.randomUUID());
    List<String> uploads = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      uploads.add(upload(lee, TestImages.png(8, 8), "image/png"));
    }
    uploads.forEach(this::expire);
    double expiredBefore = expiredCount();

    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Integer>> replicas = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      replicas.add(
          () -> {
            start.await();
            return sweeper.sweep();
          });
    }
    int swept = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Integer>> results = replicas.stream().map(pool::submit).toList();
      start.countDown();
      for (Future<Integer> result : results) {
        swept += result.get();
      }
    }

    assertThat(swept).isEqualTo(24);
    assertThat(expiredCount() - expiredBefore).isEqualTo(24);
    assertThat(uploads).noneMatch(this::stored).noneMatch(this::recorded);
  }

  private Response editWith(String token, String uploadId) {
    return send(
        post(
            "/v1/edits",
            token,
            Map.of("prompt", "p", "inputs", List.of(Map.of("uploadId", uploadId)))));
  }

  /** Past the expiry and the sweeper's grace. */
  private void expire(String uploadId) {
    jdbc.sql("update upload set expires_at = now() - interval '1 hour' where id = :id")
        .param("id", uploadId)
        .update();
  }

  private boolean recorded(String uploadId) {
    return jdbc.sql("select count(*) from upload where id = :id")
            .param("id", uploadId)
            .query(Long.class)
            .single()
        == 1;
  }

  private boolean stored(String uploadId) {
    try (S3Client s3 = TestS3.get().client()) {
      s3.headObject(b -> b.bucket(TestS3.BUCKET).key("uploads/" + uploadId));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private double expiredCount() {
    Counter counter = meters.find("editflow.uploads.expired").counter();
    return counter == null ? 0 : counter.count();
  }
}
