package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.fal.FalClient;
import dev.editflow.fal.SubmitOptions;
import dev.editflow.model.EditJobId;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.FalWebhookReceived;
import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import dev.editflow.worker.jobs.SubmitStarts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The submit window: a worker dies after fal accepted a request but before it recorded the id.
 * Simulated by marking the attempt and submitting to fal by hand while no worker consumes. The
 * request's webhook then lets the worker adopt it, and the redelivered message submits nothing.
 */
@TestPropertySource(properties = "spring.rabbitmq.listener.simple.auto-startup=false")
class SubmitWindowIT extends WorkerIntegrationTest {

  @Autowired FalClient fal;
  @Autowired SubmitStarts starts;
  @Autowired RabbitListenerEndpointRegistry listeners;

  @Test
  void adoptsTheRequestOfAWorkerThatDiedInTheSubmitWindow() {
    String prompt = prompt("orphan");
    EditJobId id = createJob(prompt, Duration.ofMinutes(5));
    assertThat(starts.markSubmitStarted(id, 1)).isTrue();
    FalRequest orphan =
        fal.submit(
                MODEL,
                Map.of(
                    "prompt",
                    prompt,
                    "image_urls",
                    List.of(FalSimulator.baseUri() + "/missing.png")),
                SubmitOptions.none())
            .join();

    listeners.getListenerContainer("fal-webhook-received").start();
    FalWebhookReceived webhook = new FalWebhookReceived(id, orphan.requestId(), Instant.now(), 1);
    rabbit.send(
        Topology.EXCHANGE,
        MessageType.of(webhook).routingKey(),
        codec.encode(webhook, "webhook-1"));

    await().atMost(Duration.ofSeconds(20)).until(() -> job(id).falRequest() != null);
    assertThat(job(id).falRequest().requestId()).isEqualTo(orphan.requestId());

    listeners.getListenerContainer("edit-requested").start();
    publishEditRequested(id, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(id).isTerminal() || status(id) == JobStatus.ARCHIVING);
    // The orphan's input is missing, so attempt 1 fails at fal and attempt 2 (the worker's own
    // submit, with the job's real input) succeeds: one submission per attempt means attempt 1
    // adopted the orphan instead of submitting again.
    assertThat(status(id)).isEqualTo(JobStatus.ARCHIVING);
    assertThat(job(id).attempt()).isEqualTo(2);
    assertThat(FalSimulator.submissions(prompt))
        .as("the orphan was adopted, not duplicated")
        .isEqualTo(job(id).attempt());
  }
}
