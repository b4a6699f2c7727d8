package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code jwk-set-uri} set, the gateway takes an identity provider's RS256 tokens and no longer
 * needs (or accepts) HS256 tokens signed with a shared secret.
 */
@ActiveProfiles(inheritProfiles = false)
class IdentityProviderTokensIT extends GatewayIntegrationTest {

  static final RSAKey KEY = rsaKey();
  static final HttpServer JWKS = serveJwks(new JWKSet(KEY.toPublicJWK()).toString());

  @DynamicPropertySource
  static void identityProvider(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
        () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
    registry.add("editflow.gateway.auth.hmac-secret", () -> "");
  }

  @AfterAll
  static void stopJwks() {
    JWKS.stop(0);
  }

  @Test
  void acceptsTheIdentityProvidersTokensOnly() throws Exception {
    SignedJWT token =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(),
            Tokens.valid("alice"));
    token.sign(new RSASSASigner(KEY));

    assertThat(send(get("/v1/usage", token.serialize())).status()).isEqualTo(200);
    Response forged =
        send(
            get(
                "/v1/usage",
                Tokens.hs256("a-guessed-secret-of-at-least-32-bytes!", Tokens.valid("alice"))));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.json().get("code").asString()).isEqualTo("UNAUTHENTICATED");
  }

  private static RSAKey rsaKey() {
    try {
      return new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
