package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.messaging.MessageCodec;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class AdminJobsIT extends GatewayIntegrationTest {

  @Autowired RabbitTemplate rabbit;
  @Autowired MessageCodec codec;
  @Autowired JdbcClient jdbc;

  @Test
  void showsAnyUsersJobWithItsHistory() {
    String alice = token("alice-" + UUID.randomUUID());
    String id = submitEdit(alice);
    String operator = adminToken("ops");

    Response job = send(get("/admin/v1/jobs/" + id, operator));

    assertThat(job.status()).as(job.toString()).isEqualTo(200);
    assertThat(job.json().get("ownerId").asString()).startsWith("alice-");
    assertThat(job.json().get("attempt").asInt()).isEqualTo(1);
    JsonNode first = job.json().get("transitions").get(0);
    assertThat(first.get("to").asString()).isEqualTo("QUEUED");
    assertThat(first.get("actor").asString()).startsWith("user:alice-");
    assertThat(job.json().get("webhookDeliveries").isArray()).isTrue();
    assertThat(
            send(get("/admin/v1/jobs/ed_01JD3Q7ZK2M8T6X4V9W0B5N1C3", operator))
                .json()
                .get("code")
                .asString())
        .isEqualTo("JOB_NOT_FOUND");
  }

  @Test
  void listsJobsStuckInAStatePageByPage() {
    String bob = token("bob-" + UUID.randomUUID());
    String first = submitEdit(bob);
    String second = submitEdit(bob);
    // Make them look stuck for an hour, older than anything other tests leave behind.
    jdbc.sql("update edit_job set updated_at = now() - interval '100 days' where id in (:ids)")
        .param("ids", List.of(first, second))
        .update();
    String operator = adminToken("ops");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response page =
          send(
              get(
                  "/admin/v1/jobs?state=QUEUED&olderThan=P99D&limit=1"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  operator));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().get("items").forEach(item -> seen.add(item.get("id").asString()));
      cursor =
          page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asString();
      pages++;
    } while (cursor != null && pages < 50);

    assertThat(seen).containsSubsequence(first, second);
    Response fresh = send(get("/admin/v1/jobs?state=QUEUED&olderThan=P101D", operator));
    assertThat(fresh.json().get("items").valueStream().map(i -> i.get("id").asString()))
        .doesNotContain(first, second);
    assertThat(send(get("/admin/v1/jobs?state=NOPE", operator)).json().get("code").asString())
        .isEqualTo("VALIDATION_FAILED");
    assertThat(send(get("/admin/v1/jobs?state=QUEUED&olderThan=soon", operator)).status())
        .isEqualTo(400);
  }

  @Test
  void redrivesAQueuedJobAsTheSweeperDoesAndAuditsIt() {
    String carol = token("carol-" + UUID.randomUUID());
    String id = submitEdit(carol);
    awaitEditRequested(id); // the one sent at accept
    String operator = adminToken("ops-carol");

    Response redriven = send(post("/admin/v1/jobs/" + id + "/redrive", operator, "{}"));

    assertThat(redriven.status()).as(redriven.toString()).isEqualTo(202);
    assertThat(redriven.json().get("redriven").asBoolean()).isTrue();
    assertThat(awaitEditRequested(id)).as("a new EditRequested").isTrue();
    JsonNode actions = send(get("/admin/v1/jobs/" + id, operator)).json().get("adminActions");
    assertThat(actions.get(0).get("action").asString()).isEqualTo("job.redrive");
    assertThat(actions.get(0).get("operator").asString()).isEqualTo("operator:ops-carol");
  }

  @Test
  void cancelsAnyJobWithTheOperatorAsActorIdempotently() {
    String dave = token("dave-" + UUID.randomUUID());
    String id = submitEdit(dave);
    String operator = adminToken("ops-dave");

    Response first = send(post("/admin/v1/jobs/" + id + "/cancel", operator, "{}"));
    Response again = send(post("/admin/v1/jobs/" + id + "/cancel", operator, "{}"));

    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(200);
    JsonNode transitions = again.json().get("transitions");
    JsonNode last = transitions.get(transitions.size() - 1);
    assertThat(last.get("to").asString()).isEqualTo("CANCELLED");
    assertThat(last.get("actor").asString()).isEqualTo("operator:ops-dave");
    assertThat(again.json().get("adminActions").size()).isEqualTo(2);
    assertThat(send(get("/v1/edits/" + id, dave)).json().get("status").asString())
        .isEqualTo("CANCELLED");
    Response redrive = send(post("/admin/v1/jobs/" + id + "/redrive", operator, "{}"));
    assertThat(redrive.status()).isEqualTo(409);
    assertThat(redrive.json().get("code").asString()).isEqualTo("NOTHING_TO_REDRIVE");
  }

  private boolean awaitEditRequested(String id) {
    for (int i = 0; i < 30; i++) {
      Message message = rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 1000);
      if (message != null
          && codec.decode(message, EditRequested.class).jobId().value().equals(id)) {
        return true;
      }
    }
    return false;
  }
}
