package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.editflow.fal.FalWebhook;
import dev.editflow.fal.FalWebhookVerifier;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.FalWebhookReceived;
import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import dev.editflow.testsupport.Teardown;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * fal's webhook carries the result: the simulator calls a receiver that verifies the signature and
 * sends the worker a {@link FalWebhookReceived} from it, as the gateway does. The poller's first
 * look is set far beyond the simulator's processing time, so a job that moves on in time was moved
 * by the webhook, and the simulator's journal shows whether fal's status or result was asked.
 */
class FalWebhookResultIT extends WorkerIntegrationTest {

  private static final WebhookReceiver RECEIVER = new WebhookReceiver();

  @DynamicPropertySource
  static void webhooks(DynamicPropertyRegistry registry) {
    registry.add("editflow.worker.fal-webhook-base-url", RECEIVER::baseUri);
    registry.add("editflow.worker.poll-first", () -> "2m");
  }

  @BeforeEach
  void relayWebhooksToTheWorker() {
    RECEIVER.onVerified(
        received ->
            rabbit.send(
                Topology.EXCHANGE,
                MessageType.of(received).routingKey(),
                codec.encode(received, UUID.randomUUID().toString())));
  }

  @Test
  void aVerifiedWebhookHandsItsImagesToTheArchiverWithoutAskingFalAgain() {
    String prompt = prompt("hooked");
    EditJobId id = createJob(prompt, Duration.ofMinutes(5));

    EditCompleted completed = awaitCompleted(id);

    assertThat(status(id)).isEqualTo(JobStatus.ARCHIVING);
    JsonNode request = FalSimulator.request(prompt);
    assertThat(completed.falRequestId()).isEqualTo(request.path("request_id").asString());
    assertThat(completed.images()).hasSize(1);
    assertThat(completed.images().getFirst().url()).contains("/media/files/");
    assertThat(request.path("status_reads").asInt()).isZero();
    assertThat(request.path("result_reads").asInt()).isZero();
  }

  @Test
  void aVerifiedErrorWebhookFailsTheJobWithItsStableCodeWithoutAskingFalAgain() {
    try (var changed = FalSimulator.change("{\"faults\":{\"content-policy\":1.0}}")) {
      String prompt = prompt("hooked and blocked");
      EditJobId id = createJob(prompt, Duration.ofMinutes(5));

      awaitStatus(id, JobStatus.FAILED, Duration.ofSeconds(20));

      assertThat(job(id).errorCode()).isEqualTo(ErrorCode.CONTENT_POLICY);
      JsonNode request = FalSimulator.request(prompt);
      assertThat(request.path("status_reads").asInt()).isZero();
      assertThat(request.path("result_reads").asInt()).isZero();
    }
  }

  @Test
  void aWebhookWithoutItsPayloadHasTheWorkerFetchTheResultAtOnce() {
    try (var changed = FalSimulator.change("{\"webhook\":{\"payload-error\":true}}")) {
      String prompt = prompt("hooked without payload");
      EditJobId id = createJob(prompt, Duration.ofMinutes(5));

      EditCompleted completed = awaitCompleted(id);

      assertThat(completed.images()).hasSize(1);
      assertThat(FalSimulator.request(prompt).path("result_reads").asInt()).isEqualTo(1);
    }
  }

  /** Receives the simulator's webhooks and verifies them against its published keys. */
  private static final class WebhookReceiver {

    private final HttpServer server;
    private final FalWebhookVerifier verifier =
        new FalWebhookVerifier(
            FalSimulator.baseUri().resolve("/.well-known/jwks.json"),
            JsonMapper.builder().build(),
            Clock.systemUTC());
    private volatile Consumer<FalWebhookReceived> verified = received -> {};

    WebhookReceiver() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      server.createContext("/v1/fal/webhooks", this::receive);
      server.start();
      Teardown.atExit(() -> server.stop(0));
    }

    String baseUri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort()).toString();
    }

    void onVerified(Consumer<FalWebhookReceived> consumer) {
      verified = consumer;
    }

    private void receive(HttpExchange exchange) throws IOException {
      int answer = 200;
      try {
        byte[] body = exchange.getRequestBody().readAllBytes();
        FalWebhook webhook = verifier.verify(exchange.getRequestHeaders()::getFirst, body);
        String query = exchange.getRequestURI().getQuery();
        String job = query.replaceAll(".*job=([^&]+).*", "$1");
        int attempt = Integer.parseInt(query.replaceAll(".*attempt=(\\d+).*", "$1"));
        verified.accept(webhook.received(new EditJobId(job), attempt, Instant.now()));
      } catch (RuntimeException rejected) {
        answer = 401;
      }
      exchange.sendResponseHeaders(answer, -1);
      exchange.close();
    }
  }
}
