package dev.editflow.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.jspecify.annotations.Nullable;

/** Bearer tokens made by hand, good and bad. */
final class Tokens {

  private Tokens() {}

  static JWTClaimsSet claims(@Nullable String subject, @Nullable Instant expiresAt) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder().issueTime(Date.from(Instant.now().minusSeconds(5)));
    if (subject != null) {
      claims.subject(subject);
    }
    if (expiresAt != null) {
      claims.expirationTime(Date.from(expiresAt));
    }
    return claims.build();
  }

  static JWTClaimsSet valid(String subject) {
    return claims(subject, Instant.now().plus(Duration.ofHours(1)));
  }

  static String hs256(String secret, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** {@code alg: none}: claims anyone can write, with no signature at all. */
  static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }
}
