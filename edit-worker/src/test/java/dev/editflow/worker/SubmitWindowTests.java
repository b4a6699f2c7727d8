package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.fal.FalClient;
import dev.editflow.fal.FalRequestRef;
import dev.editflow.fal.SubmitOptions;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.messaging.MessageCodec;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.FalWebhookReceived;
import dev.editflow.model.message.Topology;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The submit window: a worker dies after fal accepted a request but before it recorded the id.
 * Simulated by marking the attempt and submitting to fal by hand while no worker consumes. The
 * request's webhook then lets the worker adopt it, and the redelivered message submits nothing.
 */
// Each class gets its own workers: a cached context would keep consuming the same queues.
@DirtiesContext
@SpringBootTest(
    classes = EditWorkerApplication.class,
    properties = "spring.rabbitmq.listener.simple.auto-startup=false")
class SubmitWindowTests {

  @Autowired EditJobs jobs;
  @Autowired FalClient fal;
  @Autowired RabbitTemplate rabbit;
  @Autowired MessageCodec codec;
  @Autowired RabbitListenerEndpointRegistry listeners;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
    TestS3.get().register(registry);
    registry.add("editflow.fal.base-url", () -> WorkerFlowTests.SIMULATOR.baseUri().toString());
  }

  @Test
  void adoptsTheRequestOfAWorkerThatDiedInTheSubmitWindow() throws Exception {
    String prompt = "orphan " + UUID.randomUUID();
    EditJobId id = WorkerFlowTests.createJob(jobs, prompt, Duration.ofMinutes(5));
    assertThat(jobs.markSubmitStarted(id, 1)).isTrue();
    FalRequestRef orphan =
        fal.submit(
                "fal-ai/nano-banana/edit",
                Map.of(
                    "prompt",
                    prompt,
                    "image_urls",
                    List.of(WorkerFlowTests.SIMULATOR.baseUri() + "/missing.png")),
                SubmitOptions.none())
            .join();

    listeners.getListenerContainer("fal-webhook-received").start();
    rabbit.send(
        Topology.EXCHANGE,
        "fal.webhook-received",
        codec.encode(
            new FalWebhookReceived(id, orphan.requestId(), Instant.now(), 1), "webhook-1"));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> jobs.find(id).orElseThrow().falRequest() != null);
    assertThat(jobs.find(id).orElseThrow().falRequest().requestId()).isEqualTo(orphan.requestId());

    listeners.getListenerContainer("edit-requested").start();
    rabbit.send(
        Topology.EXCHANGE,
        "edit.requested",
        codec.encode(new EditRequested(id, 1, Instant.now()), "again"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jobs.find(id).orElseThrow().status().isTerminal()
                    || jobs.find(id).orElseThrow().status() == JobStatus.ARCHIVING);
    assertThat(WorkerFlowTests.submissions(prompt))
        .as("the orphan was adopted, not duplicated")
        .isEqualTo(1);
  }
}
