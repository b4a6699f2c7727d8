package dev.editflow.falsim.webhook;

import dev.editflow.falsim.LiveSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Signs webhook bodies like fal (FAL-API.md 4): Ed25519 over {@code
 * request_id\nuser_id\ntimestamp\nhex(sha256(body))}, hex encoded. The key pair is made at start,
 * deterministically when {@code editflow.simulator.webhook.key-seed} is set.
 */
@Component
public class WebhookSigner {

  private final KeyPair keys;
  private final byte[] publicKeyRaw;
  private final String keyId;

  WebhookSigner(LiveSettings settings) throws GeneralSecurityException {
    this.keys = generate(settings.get().webhook().keySeed());
    byte[] encoded = keys.getPublic().getEncoded();
    // X.509 SubjectPublicKeyInfo of Ed25519 = 12-byte header + the raw 32-byte key.
    this.publicKeyRaw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    this.keyId = HexFormat.of().formatHex(sha256(publicKeyRaw)).substring(0, 16);
  }

  /** Hex signature of one delivery. */
  public String sign(String requestId, String userId, long timestamp, byte[] body) {
    String message =
        requestId
            + "\n"
            + userId
            + "\n"
            + timestamp
            + "\n"
            + HexFormat.of().formatHex(sha256(body));
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(keys.getPrivate());
      signature.update(message.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** The raw public key, base64url without padding (JWK {@code x}). */
  public String publicKeyBase64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(publicKeyRaw);
  }

  public String keyId() {
    return keyId;
  }

  private static KeyPair generate(@Nullable String seed) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    if (seed != null && !seed.isBlank()) {
      generator.initialize(
          NamedParameterSpec.ED25519,
          new FixedRandom(sha256(seed.getBytes(StandardCharsets.UTF_8))));
    }
    return generator.generateKeyPair();
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hands the generator a fixed 32-byte private key, so the same seed gives the same key pair. */
  private static final class FixedRandom extends SecureRandom {
    private final byte[] bytes;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public void nextBytes(byte[] out) {
      for (int i = 0; i < out.length; i++) {
        out[i] = bytes[i % bytes.length];
      }
    }
  }
}
