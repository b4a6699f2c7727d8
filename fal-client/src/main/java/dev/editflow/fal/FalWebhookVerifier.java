package dev.editflow.fal;

import dev.editflow.fal.WebhookRejected.Reason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies fal webhooks: an Ed25519 signature over {@code request_id \n user_id \n timestamp \n
 * hex(sha256(body))} by one of the keys in fal's JWKS, a timestamp within ±300 s, and no replay of
 * a signature already seen in that window. Keys are cached for a day and fetched again (at most
 * once a minute) when no cached key verifies, which is how a key rotation shows up.
 */
public class FalWebhookVerifier {

  private static final Duration SKEW = Duration.ofSeconds(300);
  private static final Duration KEYS_TTL = Duration.ofHours(24);
  private static final Duration REFETCH_MIN_INTERVAL = Duration.ofMinutes(1);
  private static final byte[] ED25519_X509_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");
  private static final int MAX_REMEMBERED = 100_000;

  private final URI jwksUrl;
  private final HttpClient http;
  private final JsonMapper json;
  private final Clock clock;
  private final Map<String, Instant> seen = new LinkedHashMap<>();
  private List<PublicKey> keys = List.of();
  private Instant keysFetchedAt = Instant.EPOCH;

  public FalWebhookVerifier(URI jwksUrl, JsonMapper json, Clock clock) {
    this.jwksUrl = jwksUrl;
    this.json = json;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * @param header the request's headers by name (any case)
   * @throws WebhookRejected if anything does not check out
   */
  public FalWebhook verify(Function<String, @Nullable String> header, byte[] body) {
    String requestId = required(header, "X-Fal-Webhook-Request-Id");
    String userId = required(header, "X-Fal-Webhook-User-Id");
    String timestamp = required(header, "X-Fal-Webhook-Timestamp");
    String signatureHex = required(header, "X-Fal-Webhook-Signature");
    Instant sentAt;
    byte[] signature;
    try {
      sentAt = Instant.ofEpochSecond(Long.parseLong(timestamp.strip()));
      signature = HexFormat.of().parseHex(signatureHex.strip());
    } catch (RuntimeException e) {
      throw new WebhookRejected(Reason.MALFORMED, "timestamp or signature is not well-formed");
    }
    Instant now = clock.instant();
    if (Duration.between(sentAt, now).abs().compareTo(SKEW) > 0) {
      throw new WebhookRejected(Reason.STALE, "timestamp " + sentAt + " is outside ±300 s");
    }
    byte[] message =
        (requestId
                + "\n"
                + userId
                + "\n"
                + timestamp
                + "\n"
                + HexFormat.of().formatHex(sha256(body)))
            .getBytes(StandardCharsets.UTF_8);
    if (!verifiesWithAnyKey(message, signature, now)) {
      throw new WebhookRejected(Reason.BAD_SIGNATURE, "no fal key verifies the signature");
    }
    // Keyed on the decoded signature: hex is case-insensitive, so the raw header could be replayed
    // in another case.
    remember(requestId + ":" + timestamp + ":" + HexFormat.of().formatHex(signature), now);
    return parse(body);
  }

  private synchronized void remember(String fingerprint, Instant now) {
    // Oldest first (insertion order): forgetting stops at the first one still in the window, so
    // a webhook costs the few entries that expired since the last, not a walk over all of them.
    Instant forgetBefore = now.minus(SKEW.multipliedBy(2));
    Iterator<Instant> oldestFirst = seen.values().iterator();
    while (oldestFirst.hasNext() && oldestFirst.next().isBefore(forgetBefore)) {
      oldestFirst.remove();
    }
    if (seen.containsKey(fingerprint)) {
      throw new WebhookRejected(Reason.REPLAY, "this webhook was already delivered");
    }
    if (seen.size() >= MAX_REMEMBERED) {
      seen.remove(seen.keySet().iterator().next());
    }
    seen.put(fingerprint, now);
  }

  private boolean verifiesWithAnyKey(byte[] message, byte[] signature, Instant now) {
    List<PublicKey> current = keys(now, false);
    if (anyVerifies(current, message, signature)) {
      return true;
    }
    List<PublicKey> refreshed = keys(now, true);
    return refreshed != current && anyVerifies(refreshed, message, signature);
  }

  private synchronized List<PublicKey> keys(Instant now, boolean afterFailure) {
    boolean expired = keysFetchedAt.plus(KEYS_TTL).isBefore(now);
    boolean mayRefetch = keysFetchedAt.plus(REFETCH_MIN_INTERVAL).isBefore(now);
    if (keys.isEmpty() || expired || (afterFailure && mayRefetch)) {
      try {
        keys = fetchKeys();
        keysFetchedAt = now;
      } catch (RuntimeException e) {
        if (keys.isEmpty()) {
          throw new WebhookRejected(Reason.KEYS_UNAVAILABLE, "fal's JWKS could not be fetched");
        }
      }
    }
    return keys;
  }

  private List<PublicKey> fetchKeys() {
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(jwksUrl).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("JWKS answered " + response.statusCode());
      }
      List<PublicKey> parsed = new ArrayList<>();
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      for (JsonNode key : json.readTree(response.body()).path("keys")) {
        if ("OKP".equals(key.path("kty").asString(""))
            && "Ed25519".equals(key.path("crv").asString(""))) {
          byte[] x = Base64.getUrlDecoder().decode(key.path("x").asString());
          byte[] encoded = new byte[ED25519_X509_PREFIX.length + x.length];
          System.arraycopy(ED25519_X509_PREFIX, 0, encoded, 0, ED25519_X509_PREFIX.length);
          System.arraycopy(x, 0, encoded, ED25519_X509_PREFIX.length, x.length);
          parsed.add(factory.generatePublic(new X509EncodedKeySpec(encoded)));
        }
      }
      return List.copyOf(parsed);
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Could not read fal's JWKS", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean anyVerifies(List<PublicKey> keys, byte[] message, byte[] signature) {
    for (PublicKey key : keys) {
      try {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        if (verifier.verify(signature)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // a malformed signature for this key: try the next
      }
    }
    return false;
  }

  private FalWebhook parse(byte[] body) {
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (RuntimeException e) {
      throw new WebhookRejected(Reason.MALFORMED, "the body is not JSON");
    }
    if (node == null
        || !node.isObject()
        || !node.path("request_id").isString()
        || node.path("request_id").asString().isBlank()
        || !node.path("status").isString()) {
      throw new WebhookRejected(Reason.MALFORMED, "the body has no request_id or status");
    }
    try {
      return new FalWebhook(
          node.path("request_id").asString(),
          node.hasNonNull("gateway_request_id") ? node.get("gateway_request_id").asString() : null,
          node.path("status").asString(""),
          node.hasNonNull("payload") ? node.get("payload") : null,
          node.hasNonNull("payload_error") ? node.get("payload_error").asString() : null,
          node.hasNonNull("error") ? node.get("error").asString() : null);
    } catch (RuntimeException e) {
      throw new WebhookRejected(Reason.MALFORMED, "the body's fields are not well-formed");
    }
  }

  private static String required(Function<String, @Nullable String> header, String name) {
    String value = header.apply(name);
    if (value == null || value.isBlank()) {
      throw new WebhookRejected(Reason.MISSING_HEADER, name);
    }
    return value;
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
