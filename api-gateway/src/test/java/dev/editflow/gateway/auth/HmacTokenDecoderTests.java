package dev.editflow.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.editflow.gateway.system.GatewaySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class HmacTokenDecoderTests {

  private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes";

  private final JwtDecoder decoder =
      new SecurityConfiguration()
          .jwtDecoder(
              new GatewaySettings(
                  new GatewaySettings.Auth(SECRET),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));

  @Test
  void keepsAnIssuerWithoutSchemeAsItIs() throws Exception {
    Instant expiry = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Jwt jwt = decoder.decode(token("editflow-local", "alice", expiry));

    assertThat(jwt.getClaimAsString("iss")).isEqualTo("editflow-local");
    assertThat(jwt.getSubject()).isEqualTo("alice");
    assertThat(jwt.getExpiresAt()).isEqualTo(expiry);
  }

  @Test
  void convertsAUrlIssuerAsBefore() throws Exception {
    Jwt jwt =
        decoder.decode(
            token("https://id.example.com/realms/editflow", "bob", Instant.now().plusSeconds(600)));

    assertThat(jwt.getClaimAsString("iss")).isEqualTo("https://id.example.com/realms/editflow");
    assertThat(jwt.getIssuer()).hasToString("https://id.example.com/realms/editflow");
  }

  @Test
  void takesATokenWithoutIssuer() throws Exception {
    Jwt jwt = decoder.decode(token(null, "dave", Instant.now().plusSeconds(600)));

    assertThat(jwt.getSubject()).isEqualTo("dave");
    assertThat(jwt.hasClaim("iss")).isFalse();
  }

  @Test
  void stillRefusesAnExpiredToken() throws Exception {
    String expired = token("editflow-local", "carol", Instant.now().minus(Duration.ofHours(1)));

    assertThatThrownBy(() -> decoder.decode(expired)).isInstanceOf(JwtValidationException.class);
  }

  private static String token(@Nullable String issuer, String subject, Instant expiresAt)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .issueTime(Date.from(expiresAt.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(expiresAt))
                .build());
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
