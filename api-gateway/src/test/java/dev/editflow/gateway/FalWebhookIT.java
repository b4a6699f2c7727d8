package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code POST /v1/fal/webhooks}: only a fresh delivery signed by one of fal's keys is taken. */
class FalWebhookIT extends GatewayIntegrationTest {

  static final KeyPair FAL = ed25519();
  static final HttpServer JWKS = serveJwks(jwksOf(FAL));

  @DynamicPropertySource
  static void falWebhooks(DynamicPropertyRegistry registry) {
    registry.add("editflow.gateway.fal-webhooks.enabled", () -> true);
    registry.add(
        "editflow.gateway.fal-webhooks.jwks-url",
        () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
  }

  @AfterAll
  static void stopJwks() {
    JWKS.stop(0);
  }

  @Test
  void takesASignedDeliveryOnceAndRefusesForgeriesAndReplays() throws Exception {
    String job = submitEdit(token("fal-webhook-" + System.nanoTime()));
    byte[] body =
        ("{\"request_id\":\"req-" + job + "\",\"status\":\"OK\",\"payload\":{\"images\":[]}}")
            .getBytes(StandardCharsets.UTF_8);
    Map<String, String> signed = signed(FAL, "req-" + job, body);

    Response taken = send(webhook(job, signed, body));
    Response replayed = send(webhook(job, signed, body));
    Response forged = send(webhook(job, signed(ed25519(), "req-" + job, body), body));
    Response tampered = send(webhook(job, signed, "{\"status\":\"OK\"}".getBytes()));

    assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
    assertThat(taken.json().path("status").asString()).isEqualTo("received");
    for (Response refused : new Response[] {replayed, forged, tampered}) {
      assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
      assertThat(refused.json().path("code").asString()).isEqualTo("WEBHOOK_REJECTED");
    }
  }

  private HttpRequest.Builder webhook(String job, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/v1/fal/webhooks?job=" + job + "&attempt=1"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return request;
  }

  private static Map<String, String> signed(KeyPair key, String requestId, byte[] body)
      throws Exception {
    String timestamp = String.valueOf(Instant.now().getEpochSecond());
    String message =
        requestId
            + "\nfal-user\n"
            + timestamp
            + "\n"
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key.getPrivate());
    signer.update(message.getBytes(StandardCharsets.UTF_8));
    return Map.of(
        "X-Fal-Webhook-Request-Id",
        requestId,
        "X-Fal-Webhook-User-Id",
        "fal-user",
        "X-Fal-Webhook-Timestamp",
        timestamp,
        "X-Fal-Webhook-Signature",
        HexFormat.of().formatHex(signer.sign()));
  }

  private static String jwksOf(KeyPair key) {
    byte[] encoded = key.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    return "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(raw)
        + "\"}]}";
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
