package dev.editflow.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.fal.WebhookRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FalWebhookVerifierTests {

  private static final byte[] BODY =
      "{\"request_id\":\"r1\",\"status\":\"OK\",\"payload\":{\"images\":[]}}"
          .getBytes(StandardCharsets.UTF_8);

  private final Instant now = Instant.parse("2026-11-25T08:00:00Z");
  private ScriptedFal jwks;
  private KeyPair key;
  private FalWebhookVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    jwks = new ScriptedFal();
    jwks.then(200, jwksOf(key));
    verifier =
        new FalWebhookVerifier(
            jwks.base().resolve("/.well-known/jwks.json"),
            JsonMapper.builder().build(),
            Clock.fixed(now, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    jwks.close();
  }

  @Test
  void acceptsAWebhookSignedByFalsKey() throws Exception {
    FalWebhook webhook = verifier.verify(signed(key, now, BODY)::get, BODY);

    assertThat(webhook.requestId()).isEqualTo("r1");
    assertThat(webhook.status()).isEqualTo("OK");
  }

  @Test
  void rejectsAForgedSignature() throws Exception {
    KeyPair attacker = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    jwks.then(200, jwksOf(key));

    assertRejected(signed(attacker, now, BODY), BODY, Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsATamperedBody() throws Exception {
    byte[] tampered = Arrays.copyOf(BODY, BODY.length);
    tampered[10] = 'X';

    assertRejected(signed(key, now, BODY), tampered, Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsAStaleTimestamp() throws Exception {
    assertRejected(signed(key, now.minusSeconds(301), BODY), BODY, Reason.STALE);
  }

  @Test
  void rejectsAReplay() throws Exception {
    Map<String, String> headers = signed(key, now, BODY);
    verifier.verify(headers::get, BODY);

    assertRejected(headers, BODY, Reason.REPLAY);
  }

  @Test
  void rejectsMissingHeaders() throws Exception {
    Map<String, String> headers = signed(key, now, BODY);
    headers.remove("X-Fal-Webhook-Signature");

    assertRejected(headers, BODY, Reason.MISSING_HEADER);
  }

  @Test
  void picksUpARotatedKey() throws Exception {
    verifier.verify(signed(key, now, BODY)::get, BODY);
    KeyPair rotated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    jwks.then(200, jwksOf(rotated));
    FalWebhookVerifier later =
        new FalWebhookVerifier(
            jwks.base().resolve("/.well-known/jwks.json"),
            JsonMapper.builder().build(),
            Clock.fixed(now, ZoneOffset.UTC));
    jwks.then(200, jwksOf(rotated));

    byte[] body = "{\"request_id\":\"r2\",\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(later.verify(signed(rotated, now, body)::get, body).requestId()).isEqualTo("r2");
  }

  private void assertRejected(Map<String, String> headers, byte[] body, Reason reason) {
    assertThatThrownBy(() -> verifier.verify(headers::get, body))
        .isInstanceOfSatisfying(
            WebhookRejected.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static Map<String, String> signed(KeyPair key, Instant at, byte[] body) throws Exception {
    String timestamp = String.valueOf(at.getEpochSecond());
    String message =
        "r1\nuser-1\n"
            + timestamp
            + "\n"
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key.getPrivate());
    signer.update(message.getBytes(StandardCharsets.UTF_8));
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Fal-Webhook-Request-Id", "r1");
    headers.put("X-Fal-Webhook-User-Id", "user-1");
    headers.put("X-Fal-Webhook-Timestamp", timestamp);
    headers.put("X-Fal-Webhook-Signature", HexFormat.of().formatHex(signer.sign()));
    return headers;
  }

  private static String jwksOf(KeyPair key) {
    byte[] encoded = key.getPublic().getEncoded();
    byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    return "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k\",\"x\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(x)
        + "\"}]}";
  }
}
