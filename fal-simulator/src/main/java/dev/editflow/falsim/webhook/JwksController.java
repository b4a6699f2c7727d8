package dev.editflow.falsim.webhook;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publishes the webhook verification key like fal's {@code /.well-known/jwks.json}. */
@RestController
class JwksController {

  private final WebhookSigner signer;

  JwksController(WebhookSigner signer) {
    this.signer = signer;
  }

  @GetMapping("/.well-known/jwks.json")
  Map<String, Object> jwks() {
    return Map.of(
        "keys",
        List.of(
            Map.of(
                "kty", "OKP",
                "crv", "Ed25519",
                "x", signer.publicKeyBase64Url(),
                "kid", signer.keyId(),
                "use", "sig",
                "alg", "EdDSA")));
  }
}
