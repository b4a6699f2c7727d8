package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An operator's override of a user's limits is what the gateway's limit checks apply. */
class AdminUserLimitsIT extends GatewayIntegrationTest {

  @Test
  void anOverrideIsShownAndHonouredUntilItIsRemoved() {
    String user = "hank-" + UUID.randomUUID();
    String hank = token(user);
    String operator = adminToken("ops-limits");
    submitEdit(hank);

    Map<String, Object> oneActiveJob = new HashMap<>();
    oneActiveJob.put("maxActiveJobs", 1);
    oneActiveJob.put("dailyImages", null);
    oneActiveJob.put("requestsPerMinute", null);
    Response set =
        send(
            method("PUT", "/admin/v1/users/" + user + "/limits", operator)
                .PUT(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(oneActiveJob))));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().get("effective").get("maxActiveJobs").asInt()).isEqualTo(1);
    assertThat(set.json().get("overrides").get("dailyImages").isNull()).isTrue();
    assertThat(set.json().get("effective").get("dailyImages").asInt()).isEqualTo(200);
    assertThat(set.json().get("activeJobs").asInt()).isEqualTo(1);

    // The user's first job is still running: a second one is over the overridden limit.
    String upload = upload(hank, dev.editflow.testsupport.TestImages.png(20, 20), "image/png");
    Response refused =
        send(
            post(
                "/v1/edits",
                hank,
                Map.of("prompt", "p", "inputs", java.util.List.of(Map.of("uploadId", upload)))));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
    assertThat(refused.json().get("code").asString()).isEqualTo("ACTIVE_JOBS_LIMIT");
    JsonNode usage = send(get("/v1/usage", hank)).json();
    assertThat(usage.get("limits").get("maxActiveJobs").asInt()).isEqualTo(1);

    Map<String, Object> defaults = new HashMap<>();
    defaults.put("maxActiveJobs", null);
    Response reset =
        send(
            method("PUT", "/admin/v1/users/" + user + "/limits", operator)
                .PUT(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(defaults))));
    assertThat(reset.json().get("effective").get("maxActiveJobs").asInt()).isEqualTo(20);
    assertThat(
            send(get("/admin/v1/users/" + user + "/usage", operator))
                .json()
                .get("overrides")
                .get("maxActiveJobs")
                .isNull())
        .isTrue();
    assertThat(
            send(post(
                    "/v1/edits",
                    hank,
                    Map.of("prompt", "p", "inputs", java.util.List.of(Map.of("uploadId", upload)))))
                .status())
        .isEqualTo(202);
  }

  @Test
  void aRequestRateOverrideAppliesToTheNextRequest() {
    String user = "ivy-" + UUID.randomUUID();
    String ivy = token(user);
    String operator = adminToken("ops-limits");
    send(
        method("PUT", "/admin/v1/users/" + user + "/limits", operator)
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"requestsPerMinute\":1}")));

    Map<String, Object> upload = Map.of("contentType", "image/png", "contentLength", 100);
    assertThat(send(post("/v1/uploads", ivy, upload)).status()).isEqualTo(201);
    Response limited = send(post("/v1/uploads", ivy, upload));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("code").asString()).isEqualTo("RATE_LIMITED");
    assertThat(
            send(method("PUT", "/admin/v1/users/" + user + "/limits", operator)
                    .PUT(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"requestsPerMinute\":0}")))
                .json()
                .get("code")
                .asString())
        .isEqualTo("VALIDATION_FAILED");
  }
}
