package dev.editflow.falsim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import dev.editflow.fal.FalWebhook;
import dev.editflow.fal.FalWebhookVerifier;
import dev.editflow.fal.SubmitOptions;
import dev.editflow.fal.WebhookRejected;
import dev.editflow.fal.WebhookRejected.Reason;
import dev.editflow.model.FalRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks the simulator delivers to a local server, checked by our verifier against the
 * simulator's JWKS the way the api-gateway checks fal's.
 */
class WebhookVerificationAgainstSimulatorTests extends SimulatorBackedTests {

  private FalWebhookVerifier verifier;

  @BeforeEach
  void verifyWithTheSimulatorsKeys() {
    verifier = verifierAt(Clock.systemUTC());
  }

  @Test
  void acceptsTheWebhookOfASuccessfulEdit() {
    FalRequest request = submitWithWebhook(editInput("hook me"));

    OutsideWorld.Delivery delivery = awaitDelivery();
    FalWebhook webhook = verifier.verify(delivery.headers()::getFirst, delivery.body());

    assertThat(webhook.requestId()).isEqualTo(request.requestId());
    assertThat(webhook.gatewayRequestId()).isEqualTo(request.requestId());
    assertThat(webhook.status()).isEqualTo("OK");
    assertThat(webhook.payload().path("images").get(0).path("url").asString()).startsWith("http");
    assertThat(webhook.error()).isNull();
  }

  @Test
  void acceptsTheWebhookOfAFailedEditWithTheModelsDetail() {
    submitWithWebhook(Map.of("prompt", "no images"));

    OutsideWorld.Delivery delivery = awaitDelivery();
    FalWebhook webhook = verifier.verify(delivery.headers()::getFirst, delivery.body());

    assertThat(webhook.status()).isEqualTo("ERROR");
    assertThat(webhook.error()).isEqualTo("Invalid status code: 422");
    assertThat(webhook.payload().path("detail").isArray()).isTrue();
  }

  @Test
  void acceptsAWebhookWhosePayloadFalCouldNotSerialise() {
    settings("{\"webhook\":{\"payload-error\":true}}");
    submitWithWebhook(editInput("unserialisable"));

    OutsideWorld.Delivery delivery = awaitDelivery();
    FalWebhook webhook = verifier.verify(delivery.headers()::getFirst, delivery.body());

    assertThat(webhook.payload()).isNull();
    assertThat(webhook.payloadError()).isNotBlank();
  }

  @Test
  void rejectsATamperedBody() {
    OutsideWorld.Delivery delivery = delivered();
    byte[] tampered =
        new String(delivery.body(), StandardCharsets.UTF_8)
            .replace("\"OK\"", "\"ERROR\"")
            .getBytes(StandardCharsets.UTF_8);

    assertRejected(verifier, delivery.headers(), tampered, Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsASignatureByAnotherKey() throws Exception {
    OutsideWorld.Delivery delivery = delivered();
    Headers forged = new Headers(delivery.headers());
    String message =
        forged.getFirst("X-Fal-Webhook-Request-Id")
            + "\n"
            + forged.getFirst("X-Fal-Webhook-User-Id")
            + "\n"
            + forged.getFirst("X-Fal-Webhook-Timestamp")
            + "\n"
            + HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(delivery.body()));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
    signer.update(message.getBytes(StandardCharsets.UTF_8));
    forged.set("X-Fal-Webhook-Signature", HexFormat.of().formatHex(signer.sign()));

    assertRejected(verifier, forged, delivery.body(), Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsAWebhookOlderThanFiveMinutes() {
    OutsideWorld.Delivery delivery = delivered();
    FalWebhookVerifier later = verifierAt(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(301)));

    assertRejected(later, delivery.headers(), delivery.body(), Reason.STALE);
  }

  @Test
  void rejectsAReplayedWebhook() {
    OutsideWorld.Delivery delivery = delivered();
    verifier.verify(delivery.headers()::getFirst, delivery.body());

    assertRejected(verifier, delivery.headers(), delivery.body(), Reason.REPLAY);
  }

  @Test
  void rejectsAWebhookWithoutItsSignature() {
    OutsideWorld.Delivery delivery = delivered();
    Headers unsigned = new Headers(delivery.headers());
    unsigned.remove("X-Fal-Webhook-Signature");

    assertRejected(verifier, unsigned, delivery.body(), Reason.MISSING_HEADER);
  }

  private FalWebhookVerifier verifierAt(Clock clock) {
    return new FalWebhookVerifier(URI.create(baseUrl() + "/.well-known/jwks.json"), json, clock);
  }

  private FalRequest submitWithWebhook(Map<String, Object> input) {
    return fal.submit(
            PRO, input, new SubmitOptions(null, false, null, URI.create(outside.webhookUrl())))
        .join();
  }

  private OutsideWorld.Delivery delivered() {
    submitWithWebhook(editInput("deliver me"));
    return awaitDelivery();
  }

  private static OutsideWorld.Delivery awaitDelivery() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !outside.deliveries().isEmpty());
    return outside.deliveries().getFirst();
  }

  private static void assertRejected(
      FalWebhookVerifier verifier, Headers headers, byte[] body, Reason reason) {
    assertThatThrownBy(() -> verifier.verify(headers::getFirst, body))
        .isInstanceOfSatisfying(
            WebhookRejected.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
