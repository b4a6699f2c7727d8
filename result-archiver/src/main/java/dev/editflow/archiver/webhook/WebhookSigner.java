package dev.editflow.archiver.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} + base64 of HMAC-SHA256 over {@code id.timestamp.body},
 * keyed with the base64 part of a {@code whsec_} secret. Several secrets (during a rotation) give
 * several space-separated signatures; receivers accept any one.
 */
final class WebhookSigner {

  private static final String PREFIX = "whsec_";

  private WebhookSigner() {}

  static String sign(List<String> secrets, String id, long timestampSeconds, byte[] body) {
    return secrets.stream()
        .map(secret -> signOne(secret, id, timestampSeconds, body))
        .collect(Collectors.joining(" "));
  }

  static String signOne(String secret, String id, long timestampSeconds, byte[] body) {
    byte[] key =
        Base64.getDecoder()
            .decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
