package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.testsupport.TestImages;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A hostile corpus against the API: every request must get a 4xx problem+json with a stable code,
 * never a 5xx, and must create no job.
 */
class HostileInputIT extends GatewayIntegrationTest {

  record Case(String name, String code, int status, Function<HostileInputIT, Response> call) {}

  @Autowired JdbcClient jdbc;

  String mallory;
  String victim;
  String goodUpload;
  String victimsUpload;
  String victimsJob;

  @BeforeEach
  void actors() {
    mallory = token("mallory-" + UUID.randomUUID());
    victim = token("victim-" + UUID.randomUUID());
    goodUpload = upload(mallory, TestImages.png(32, 32), "image/png");
    victimsUpload = upload(victim, TestImages.png(32, 32), "image/png");
    victimsJob =
        send(post(
                "/v1/edits",
                victim,
                Map.of("prompt", "mine", "inputs", List.of(Map.of("uploadId", victimsUpload)))))
            .json()
            .get("id")
            .asString();
  }

  @Test
  void answersEveryHostileRequestWithAProblemAndChangesNothing() {
    List<Case> corpus = new ArrayList<>();
    corpus.add(edit("malformed JSON", "MALFORMED_REQUEST", 400, "{\"prompt\": "));
    corpus.add(edit("array instead of object", "MALFORMED_REQUEST", 400, "[]"));
    corpus.add(
        edit("wrong type", "MALFORMED_REQUEST", 400, "{\"prompt\":\"x\",\"inputs\":\"nope\"}"));
    corpus.add(edit("numImages as text", "MALFORMED_REQUEST", 400, body("\"numImages\":\"two\"")));
    corpus.add(edit("unknown field", "MALFORMED_REQUEST", 400, body("\"isAdmin\":true")));
    corpus.add(
        edit(
            "empty prompt",
            "VALIDATION_FAILED",
            400,
            "{\"prompt\":\"\",\"inputs\":[{\"uploadId\":\"" + "%s" + "\"}]}"));
    corpus.add(
        edit(
            "huge prompt",
            "VALIDATION_FAILED",
            400,
            body("\"prompt\":\"" + "x".repeat(3000) + "\"")));
    corpus.add(edit("no inputs", "VALIDATION_FAILED", 400, "{\"prompt\":\"x\",\"inputs\":[]}"));
    corpus.add(edit("zero images", "VALIDATION_FAILED", 400, body("\"numImages\":0")));
    corpus.add(edit("five images", "VALIDATION_FAILED", 400, body("\"numImages\":5")));
    corpus.add(
        edit(
            "bad aspect ratio",
            "VALIDATION_FAILED",
            400,
            body("\"aspectRatio\":\"1:1; drop table edit_job\"")));
    corpus.add(edit("unknown model", "UNKNOWN_MODEL", 422, body("\"model\":\"evil/model\"")));
    corpus.add(edit("SQL in model", "UNKNOWN_MODEL", 422, body("\"model\":\"' or 1=1 --\"")));
    corpus.add(
        edit(
            "other user's upload",
            "UPLOAD_NOT_FOUND",
            404,
            "{\"prompt\":\"x\",\"inputs\":[{\"uploadId\":\"" + "VICTIM" + "\"}]}"));
    corpus.add(
        edit(
            "made-up upload",
            "UPLOAD_NOT_FOUND",
            404,
            "{\"prompt\":\"x\",\"inputs\":[{\"uploadId\":\"up_../../etc/passwd\"}]}"));
    corpus.add(
        edit(
            "both upload and url",
            "VALIDATION_FAILED",
            400,
            "{\"prompt\":\"x\",\"inputs\":[{\"uploadId\":\"%s\",\"url\":\"https://a.b/c.png\"}]}"));
    corpus.add(
        edit(
            "url inputs off",
            "URL_NOT_ALLOWED",
            422,
            "{\"prompt\":\"x\",\"inputs\":[{\"url\":\"https://example.com/a.png\"}]}"));
    corpus.add(
        edit(
            "metadata url",
            "URL_NOT_ALLOWED",
            422,
            "{\"prompt\":\"x\",\"inputs\":[{\"url\":\"http://169.254.169.254/latest\"}]}"));
    for (String webhookUrl :
        List.of(
            "http://hooks.example.com/x",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::ffff:169.254.169.254]/latest/meta-data/",
            "https://[::ffff:a9fe:a9fe]/",
            "https://[64:ff9b::a9fe:a9fe]/",
            "https://[fd00:ec2::254]/",
            "https://2852039166/",
            "https://0xa9fea9fe/",
            "https://0251.0376.0251.0376/",
            "https://10.0.0.5/hook",
            "https://[fe80::1]/hook",
            "https://127.0.0.1:8080/x",
            "https://localhost/hook",
            "https://user:secret@hooks.example.com/x",
            "ftp://hooks.example.com/x",
            "not a url")) {
      corpus.add(
          edit(
              "webhook " + webhookUrl,
              "WEBHOOK_URL_NOT_ALLOWED",
              422,
              body("\"webhookUrl\":\"" + webhookUrl + "\"")));
    }
    corpus.add(
        edit(
            "kontext with two inputs",
            "VALIDATION_FAILED",
            400,
            "{\"prompt\":\"x\",\"model\":\"fal-ai/flux-pro/kontext\",\"inputs\":[{\"uploadId\":\"%s\"},{\"uploadId\":\"%s\"}]}"));
    corpus.add(
        new Case(
            "other user's job",
            "JOB_NOT_FOUND",
            404,
            t -> send(t.get("/v1/edits/" + t.victimsJob, t.mallory))));
    corpus.add(
        new Case(
            "cancel other user's job",
            "JOB_NOT_FOUND",
            404,
            t -> send(t.post("/v1/edits/" + t.victimsJob + "/cancel", t.mallory, "{}"))));
    corpus.add(
        new Case(
            "events of other user's job",
            "JOB_NOT_FOUND",
            404,
            t -> send(t.get("/v1/edits/" + t.victimsJob + "/events", t.mallory))));
    corpus.add(
        new Case(
            "SQL in job id",
            "JOB_NOT_FOUND",
            404,
            t -> send(t.get("/v1/edits/ed_'%20or%201=1%20--", t.mallory))));

    corpus.add(
        new Case(
            "bad cursor",
            "INVALID_CURSOR",
            400,
            t -> send(t.get("/v1/edits?cursor=!!!", t.mallory))));
    corpus.add(
        new Case(
            "bad status filter",
            "VALIDATION_FAILED",
            400,
            t -> send(t.get("/v1/edits?status=DROP", t.mallory))));
    corpus.add(
        new Case(
            "limit out of range",
            "VALIDATION_FAILED",
            400,
            t -> send(t.get("/v1/edits?limit=100000", t.mallory))));
    corpus.add(new Case("no token", "UNAUTHENTICATED", 401, t -> send(t.get("/v1/edits", null))));
    corpus.add(
        new Case(
            "forged token",
            "UNAUTHENTICATED",
            401,
            t -> send(t.get("/v1/edits", forged(t.mallory)))));
    corpus.add(
        new Case(
            "garbage token", "UNAUTHENTICATED", 401, t -> send(t.get("/v1/edits", "not.a.jwt"))));
    corpus.add(
        new Case(
            "upload too large",
            "UPLOAD_TOO_LARGE",
            422,
            t ->
                send(
                    t.post(
                        "/v1/uploads",
                        t.mallory,
                        Map.of("contentType", "image/png", "contentLength", 60L * 1024 * 1024)))));
    corpus.add(
        new Case(
            "upload of html",
            "UNSUPPORTED_IMAGE_TYPE",
            422,
            t ->
                send(
                    t.post(
                        "/v1/uploads",
                        t.mallory,
                        Map.of("contentType", "text/html", "contentLength", 10)))));
    corpus.add(
        new Case(
            "negative length",
            "VALIDATION_FAILED",
            400,
            t ->
                send(
                    t.post(
                        "/v1/uploads",
                        t.mallory,
                        Map.of("contentType", "image/png", "contentLength", -1)))));
    corpus.add(
        new Case(
            "wrong method",
            "METHOD_NOT_ALLOWED",
            405,
            t ->
                send(
                    HttpRequest.newBuilder(t.uri("/v1/edits"))
                        .header("Authorization", "Bearer " + t.mallory)
                        .DELETE())));
    corpus.add(
        new Case(
            "wrong content type",
            "UNSUPPORTED_MEDIA_TYPE",
            415,
            t ->
                send(
                    HttpRequest.newBuilder(t.uri("/v1/edits"))
                        .header("Authorization", "Bearer " + t.mallory)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("hi")))));
    corpus.add(
        new Case(
            "not an image",
            "UPLOAD_NOT_AN_IMAGE",
            422,
            t -> t.editWith(t.upload(t.mallory, "<html>hi</html>".getBytes(), "image/png"))));
    corpus.add(
        new Case(
            "decompression bomb",
            "UPLOAD_NOT_AN_IMAGE",
            422,
            t ->
                t.editWith(
                    t.upload(t.mallory, TestImages.pngClaiming(100_000, 100_000), "image/png"))));
    corpus.add(
        new Case(
            "jpeg sent as png",
            "UPLOAD_NOT_AN_IMAGE",
            422,
            t -> t.editWith(t.upload(t.mallory, TestImages.jpeg(20, 20), "image/png"))));
    corpus.add(
        new Case(
            "announced but never uploaded",
            "UPLOAD_INCOMPLETE",
            422,
            t ->
                t.editWith(
                    t.send(
                            t.post(
                                "/v1/uploads",
                                t.mallory,
                                Map.of("contentType", "image/png", "contentLength", 100)))
                        .json()
                        .get("uploadId")
                        .asString())));

    long jobsBefore = jobCount();
    List<String> failures = new ArrayList<>();
    for (Case c : corpus) {
      Response response = c.call().apply(this);
      boolean ok =
          response.status() == c.status()
              && response.contentType().startsWith("application/problem+json")
              && c.code().equals(response.json().path("code").asString(""))
              && !response.raw().body().contains("Exception")
              && !response.raw().body().contains("at dev.");
      if (!ok) {
        failures.add(c.name() + " -> " + response);
      }
    }

    assertThat(failures).as("%d hostile requests", corpus.size()).isEmpty();
    assertThat(jobCount()).as("no hostile request created a job").isEqualTo(jobsBefore);
  }

  private Case edit(String name, String code, int status, String template) {
    return new Case(
        name,
        code,
        status,
        t -> {
          String body = template.replace("VICTIM", t.victimsUpload).replace("%s", t.goodUpload);
          return send(t.post("/v1/edits", t.mallory, body));
        });
  }

  private String body(String extraField) {
    return "{\"prompt\":\"x\",\"inputs\":[{\"uploadId\":\"%s\"}]," + extraField + "}";
  }

  Response editWith(String uploadId) {
    return send(
        post(
            "/v1/edits",
            mallory,
            Map.of("prompt", "x", "inputs", List.of(Map.of("uploadId", uploadId)))));
  }

  private long jobCount() {
    return jdbc.sql("select count(*) from edit_job").query(Long.class).single();
  }

  /** The same claims, signed with another key. */
  private static String forged(String token) {
    String[] parts = token.split("\\.");
    char[] signature = parts[2].toCharArray();
    signature[3] = signature[3] == 'A' ? 'B' : 'A';
    return parts[0] + "." + parts[1] + "." + new String(signature);
  }
}
