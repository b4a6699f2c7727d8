package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebhookTests extends SimulatorTestSupport {

  // DER header of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows it.
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  @Test
  void deliversASignedPayloadThatVerifiesWithTheJwksKey() throws Exception {
    JsonNode submitted =
        call("POST", "/" + NANO + "?fal_webhook=" + outside.webhookUrl(), editInput("hook me"))
            .json();
    assertThat(submitted.get("gateway_request_id").asString())
        .isEqualTo(submitted.get("request_id").asString());

    await().atMost(Duration.ofSeconds(10)).until(() -> !outside.webhooks().isEmpty());
    LocalHttpFixture.ReceivedWebhook webhook = outside.webhooks().getFirst();
    String requestId = webhook.headers().get("x-fal-webhook-request-id");
    String userId = webhook.headers().get("x-fal-webhook-user-id");
    String timestamp = webhook.headers().get("x-fal-webhook-timestamp");
    assertThat(requestId).isEqualTo(submitted.get("request_id").asString());
    assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)))
        .isLessThan(300);
    assertThat(verify(webhook, requestId, userId, timestamp)).isTrue();

    JsonNode body = json.readTree(webhook.body());
    assertThat(body.get("status").asString()).isEqualTo("OK");
    assertThat(body.get("payload").get("images").get(0).get("url").asString()).startsWith("http");
  }

  @Test
  void deliversErrorsWithTheModelsDetail() {
    call("POST", "/" + NANO + "?fal_webhook=" + outside.webhookUrl(), "{\"prompt\":\"no images\"}");

    await().atMost(Duration.ofSeconds(10)).until(() -> !outside.webhooks().isEmpty());
    JsonNode body = json.readTree(outside.webhooks().getFirst().body());
    assertThat(body.get("status").asString()).isEqualTo("ERROR");
    assertThat(body.get("error").asString()).isEqualTo("Invalid status code: 422");
    assertThat(body.get("payload").get("detail").get(0).get("type").asString())
        .isEqualTo("missing");
  }

  @Test
  void sendsPayloadErrorsWhenConfigured() {
    settings("{\"webhook\":{\"payload-error\":true}}");
    call("POST", "/" + NANO + "?fal_webhook=" + outside.webhookUrl(), editInput("unserialisable"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !outside.webhooks().isEmpty());
    JsonNode body = json.readTree(outside.webhooks().getFirst().body());
    assertThat(body.get("payload").isNull()).isTrue();
    assertThat(body.get("payload_error").asString()).contains("queue endpoint");
  }

  @Test
  void retriesFailedDeliveriesWithBackoff() throws Exception {
    outside.answerWebhooksWith(500, 503);
    JsonNode submitted =
        call("POST", "/" + NANO + "?fal_webhook=" + outside.webhookUrl(), editInput("retry me"))
            .json();

    await().atMost(Duration.ofSeconds(10)).until(() -> outside.webhooks().size() == 3);
    JsonNode attempts = call("GET", "/_sim/webhooks", null).json();
    assertThat(attempts.findValuesAsString("requestId"))
        .containsOnly(submitted.get("request_id").asString());
    assertThat(attempts.size()).isEqualTo(3);
    for (LocalHttpFixture.ReceivedWebhook webhook : outside.webhooks()) {
      assertThat(
              verify(
                  webhook,
                  webhook.headers().get("x-fal-webhook-request-id"),
                  webhook.headers().get("x-fal-webhook-user-id"),
                  webhook.headers().get("x-fal-webhook-timestamp")))
          .isTrue();
    }
  }

  @Test
  void dropsWebhooksWhenConfigured() {
    settings("{\"webhook\":{\"drop-probability\":1.0}}");
    JsonNode submitted =
        call("POST", "/" + NANO + "?fal_webhook=" + outside.webhookUrl(), editInput("lost")).json();

    awaitCompleted(submitted);
    assertThat(call("GET", "/_sim/webhooks", null).json().size()).isZero();
    assertThat(outside.webhooks()).isEmpty();
  }

  private boolean verify(
      LocalHttpFixture.ReceivedWebhook webhook, String requestId, String userId, String timestamp)
      throws Exception {
    JsonNode jwk = call("GET", "/.well-known/jwks.json", null).json().get("keys").get(0);
    assertThat(jwk.get("kty").asString()).isEqualTo("OKP");
    assertThat(jwk.get("crv").asString()).isEqualTo("Ed25519");
    byte[] raw = Base64.getUrlDecoder().decode(jwk.get("x").asString());
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));

    String bodyHash =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(webhook.body()));
    String message = requestId + "\n" + userId + "\n" + timestamp + "\n" + bodyHash;
    Signature signature = Signature.getInstance("Ed25519");
    signature.initVerify(key);
    signature.update(message.getBytes(StandardCharsets.UTF_8));
    return signature.verify(
        HexFormat.of().parseHex(webhook.headers().get("x-fal-webhook-signature")));
  }
}
