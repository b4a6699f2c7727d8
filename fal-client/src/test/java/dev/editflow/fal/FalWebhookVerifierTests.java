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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
  void forgetsOnlyTheDeliveriesOlderThanTheReplayWindow() throws Exception {
    MovableClock clock = new MovableClock(now);
    FalWebhookVerifier remembering =
        new FalWebhookVerifier(
            jwks.base().resolve("/.well-known/jwks.json"), JsonMapper.builder().build(), clock);
    remembering.verify(signed(key, clock.instant(), BODY)::get, BODY);
    clock.advance(Duration.ofSeconds(200));
    Map<String, String> recent = signed(key, clock.instant().plusSeconds(250), BODY);
    remembering.verify(recent::get, BODY);

    // The first delivery is now out of the window and forgotten; the recent one is not.
    clock.advance(Duration.ofSeconds(401));
    remembering.verify(signed(key, clock.instant(), BODY)::get, BODY);

    assertThatThrownBy(() -> remembering.verify(recent::get, BODY))
        .isInstanceOfSatisfying(
            WebhookRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY));
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

  @Test
  void rejectsAReplayWithTheSignatureInAnotherCase() throws Exception {
    Map<String, String> headers = signed(key, now, BODY);
    verifier.verify(headers::get, BODY);
    headers.put("X-Fal-Webhook-Signature", headers.get("X-Fal-Webhook-Signature").toUpperCase());

    assertRejected(headers, BODY, Reason.REPLAY);
  }

  @Test
  void rejectsASignedBodyThatIsNotAWebhook() throws Exception {
    byte[] body = "[\"r1\"]".getBytes(StandardCharsets.UTF_8);
    byte[] notJson = "r1".getBytes(StandardCharsets.UTF_8);

    assertRejected(signed(key, now, body), body, Reason.MALFORMED);
    assertRejected(signed(key, now, notJson), notJson, Reason.MALFORMED);
  }

  @Test
  void rejectsAMalformedSignatureOrTimestamp() throws Exception {
    Map<String, String> headers = signed(key, now, BODY);
    headers.put("X-Fal-Webhook-Signature", "not-hex");
    Map<String, String> badTime = signed(key, now, BODY);
    badTime.put("X-Fal-Webhook-Timestamp", "yesterday");

    assertRejected(headers, BODY, Reason.MALFORMED);
    assertRejected(badTime, BODY, Reason.MALFORMED);
  }

  @Test
  void refetchesRotatedKeysAtMostOncePerMinute() throws Exception {
    MovableClock clock = new MovableClock(now);
    FalWebhookVerifier rotating =
        new FalWebhookVerifier(
            jwks.base().resolve("/.well-known/jwks.json"), JsonMapper.builder().build(), clock);
    rotating.verify(signed(key, now, BODY)::get, BODY);
    KeyPair rotated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    jwks.then(200, jwksOf(key, rotated)).then(200, jwksOf(key, rotated));

    clock.advance(Duration.ofSeconds(30));
    assertThatThrownBy(() -> rotating.verify(signed(rotated, clock.instant(), BODY)::get, BODY))
        .isInstanceOfSatisfying(
            WebhookRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    assertThat(jwks.received).hasSize(1);

    clock.advance(Duration.ofSeconds(31));
    assertThat(rotating.verify(signed(rotated, clock.instant(), BODY)::get, BODY).requestId())
        .isEqualTo("r1");
    assertThat(rotating.verify(signed(key, clock.instant().plusSeconds(1), BODY)::get, BODY))
        .isNotNull();
    assertThat(jwks.received).hasSize(2);
  }

  @Test
  void rejectsEverythingWhileFalsKeysCannotBeFetched() throws Exception {
    try (ScriptedFal broken = new ScriptedFal()) {
      FalWebhookVerifier blind =
          new FalWebhookVerifier(
              broken.base().resolve("/.well-known/jwks.json"),
              JsonMapper.builder().build(),
              Clock.fixed(now, ZoneOffset.UTC));

      assertThatThrownBy(() -> blind.verify(signed(key, now, BODY)::get, BODY))
          .isInstanceOfSatisfying(
              WebhookRejected.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE));
    }
  }

  /** A clock the test moves forward. */
  private static final class MovableClock extends Clock {
    private Instant at;

    MovableClock(Instant at) {
      this.at = at;
    }

    void advance(Duration by) {
      at = at.plus(by);
    }

    @Override
    public Instant instant() {
      return at;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
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

  private static String jwksOf(KeyPair... keys) {
    StringBuilder jwks = new StringBuilder("{\"keys\":[");
    for (int i = 0; i < keys.length; i++) {
      byte[] encoded = keys[i].getPublic().getEncoded();
      byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
      jwks.append(i == 0 ? "" : ",")
          .append("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k")
          .append(i)
          .append("\",\"x\":\"")
          .append(Base64.getUrlEncoder().withoutPadding().encodeToString(x))
          .append("\"}");
    }
    return jwks.append("]}").toString();
  }
}
