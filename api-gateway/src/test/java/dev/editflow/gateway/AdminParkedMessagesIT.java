package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.messaging.ConfirmedPublish;
import dev.editflow.messaging.MessageCodec;
import dev.editflow.model.EditJobId;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.MessageHeaders;
import dev.editflow.model.message.Topology;
import dev.editflow.testsupport.TestRabbit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Parked messages through the admin API, against the real broker. */
class AdminParkedMessagesIT extends GatewayIntegrationTest {

  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin amqp;
  @Autowired MessageCodec codec;

  @Test
  void listsParkedMessagesWithTheirReasonAndOriginalQueue() {
    String jobId = EditJobId.generate().value();
    String messageId = park(jobId, "unreadable");
    String operator = adminToken("ops");

    Response list =
        send(
            get(
                "/admin/v1/parked-messages?queue=" + Topology.PARKING_LOT_QUEUE + "&limit=500",
                operator));

    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    JsonNode item =
        list.json()
            .get("items")
            .valueStream()
            .filter(m -> messageId.equals(m.get("messageId").asString()))
            .findFirst()
            .orElseThrow();
    assertThat(item.get("reason").asString()).isEqualTo("unreadable");
    assertThat(item.get("originalQueue").asString()).isEqualTo(Topology.EDIT_REQUESTED_QUEUE);
    assertThat(item.get("jobId").asString()).isEqualTo(jobId);
    assertThat(list.json().get("queues").get(0).get("messages").asLong()).isPositive();
    // Reading left it parked.
    assertThat(parkedIds()).contains(messageId);
    // Every dead-letter queue is listed beside the parking lot.
    assertThat(send(get("/admin/v1/parked-messages", operator)).json().get("queues").size())
        .isEqualTo(4);
  }

  @Test
  void replaysOneOrAllAfterADryRunAndAuditsIt() {
    List<String> jobs = new ArrayList<>();
    Map<String, String> byMessage = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      String job = EditJobId.generate().value();
      jobs.add(job);
      byMessage.put(park(job, "retries-exhausted"), job);
    }
    String operator = adminToken("ops-replay");
    String first = byMessage.keySet().iterator().next();

    Response dryRun =
        send(post("/admin/v1/parked-messages/replay?dryRun=true&limit=1000", operator, "{}"));
    assertThat(dryRun.status()).as(dryRun.toString()).isEqualTo(200);
    assertThat(dryRun.json().get("replayed").valueStream().map(m -> m.get("messageId").asString()))
        .containsAll(byMessage.keySet());
    assertThat(parkedIds()).containsAll(byMessage.keySet());

    Response one =
        send(post("/admin/v1/parked-messages/replay?messageId=" + first, operator, "{}"));
    assertThat(one.json().get("replayed").size()).as(one.toString()).isEqualTo(1);
    assertThat(parkedIds()).doesNotContain(first).contains(otherThan(byMessage.keySet(), first));
    Response again =
        send(post("/admin/v1/parked-messages/replay?messageId=" + first, operator, "{}"));
    assertThat(again.json().get("code").asString()).isEqualTo("PARKED_MESSAGE_NOT_FOUND");

    Response all = send(post("/admin/v1/parked-messages/replay?limit=1000", operator, "{}"));
    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    assertThat(parkedIds()).doesNotContainAnyElementsOf(byMessage.keySet());
    Map<String, Integer> arrived = drainEditRequested();
    assertThat(arrived.keySet()).containsAll(jobs);
    Message replayed = null;
    // The copy went back clean: no park headers, so it gets its retries afresh.
    park(EditJobId.generate().value(), "x");
    send(post("/admin/v1/parked-messages/replay?limit=1000", operator, "{}"));
    for (int i = 0; i < 10 && replayed == null; i++) {
      replayed = rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 1000);
    }
    assertThat(replayed).isNotNull();
    assertThat(replayed.getMessageProperties().getHeaders())
        .doesNotContainKeys(MessageHeaders.PARK_REASON, MessageHeaders.PARKED_FROM_QUEUE);
    assertThat(replayed.getMessageProperties().getHeaders()).containsKey(MessageHeaders.TYPE);
  }

  /** What the broker does to the replay halfway through. */
  enum BrokerFault {
    /** Every connection of this test's vhost closed, as a network blip or a failover does. */
    DROP_CONNECTIONS(() -> TestRabbit.get().closeAllConnections()),
    /** The broker stopped and started again (every vhost of a local broker). */
    RESTART(() -> TestRabbit.get().restartBroker());

    private final Runnable inject;

    BrokerFault(Runnable inject) {
      this.inject = inject;
    }
  }

  @ParameterizedTest
  @EnumSource(BrokerFault.class)
  void replayThroughABrokerFaultLosesNothing(BrokerFault fault) {
    drainEditRequested();
    Set<String> jobs = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String job = EditJobId.generate().value();
      jobs.add(job);
      park(job, "retries-exhausted");
    }
    String operator = adminToken("ops-chaos");
    CompletableFuture<Response> replay =
        CompletableFuture.supplyAsync(
            () -> send(post("/admin/v1/parked-messages/replay?limit=1000", operator, "{}")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> depth(Topology.EDIT_REQUESTED_QUEUE) > 0 || replay.isDone());
    fault.inject.run();
    Response interrupted = replay.join();
    // 1000 confirmed round trips outlast starting rabbitmqctl: the fault lands mid-replay.
    assertThat(interrupted.status()).as(interrupted.toString()).isEqualTo(503);
    assertThat(interrupted.json().get("code").asString()).isEqualTo("TEMPORARILY_UNAVAILABLE");

    // The operator replays again until nothing is left; every replay call may meet the outage.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              send(post("/admin/v1/parked-messages/replay?limit=1000", operator, "{}"));
              return depth(Topology.PARKING_LOT_QUEUE) == 0;
            });

    Map<String, Integer> arrived = drainEditRequested();
    assertThat(arrived.keySet()).as("every parked message arrived").containsAll(jobs);
    long duplicates = jobs.stream().mapToInt(arrived::get).filter(n -> n > 1).count();
    System.out.println(
        "Replay through "
            + fault
            + ": "
            + jobs.size()
            + " parked, first call "
            + interrupted.status()
            + ", all arrived, "
            + duplicates
            + " duplicate(s)");
  }

  /** Parks an EditRequested as the consumers do; returns its message id. */
  private String park(String jobId, String reason) {
    String messageId = UUID.randomUUID().toString();
    Message message =
        MessageBuilder.fromMessage(
                codec.encode(new EditRequested(new EditJobId(jobId), 1, Instant.now()), messageId))
            .setHeader(MessageHeaders.PARK_REASON, reason)
            .setHeader(MessageHeaders.PARK_DETAIL, "test")
            .setHeader(MessageHeaders.PARKED_FROM_QUEUE, Topology.EDIT_REQUESTED_QUEUE)
            .setHeader(MessageHeaders.PARKED_AT, Instant.now().toString())
            .setHeader(MessageHeaders.RETRY_COUNT, 4)
            .build();
    ConfirmedPublish.publish(rabbit, "", Topology.PARKING_LOT_QUEUE, message);
    return messageId;
  }

  private Set<String> parkedIds() {
    Set<String> ids = new HashSet<>();
    send(get(
            "/admin/v1/parked-messages?queue=" + Topology.PARKING_LOT_QUEUE + "&limit=500",
            adminToken("ops")))
        .json()
        .get("items")
        .forEach(m -> ids.add(m.get("messageId").asString()));
    return ids;
  }

  private long depth(String queue) {
    var info = amqp.getQueueInfo(queue);
    return info == null ? 0 : info.getMessageCount();
  }

  /** Takes every message off the workers' queue; job id → how often it arrived. */
  private Map<String, Integer> drainEditRequested() {
    Map<String, Integer> arrived = new HashMap<>();
    int empty = 0;
    while (empty < 2) {
      Message message = rabbit.receive(Topology.EDIT_REQUESTED_QUEUE, 500);
      if (message == null) {
        empty++;
        continue;
      }
      empty = 0;
      arrived.merge(codec.decode(message, EditRequested.class).jobId().value(), 1, Integer::sum);
    }
    return arrived;
  }

  private static String[] otherThan(Set<String> all, String one) {
    return all.stream().filter(id -> !id.equals(one)).toArray(String[]::new);
  }
}
