package dev.editflow.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.editflow.gateway.system.GatewaySettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tokens for any user name, so the API can be tried locally without an identity provider. Exists
 * only in the {@code local} profile: in any other profile there is no such endpoint.
 */
@RestController
@Profile("local")
@Tag(name = "local")
class DevTokenController {

  record DevTokenRequest(
      @Schema(example = "alice") @NotBlank @Pattern(regexp = "[A-Za-z0-9._@-]{1,100}") String user,
      @Schema(
              description =
                  "true: an operator token, its scope holds editflow:admin, which opens"
                      + " /admin/v1 (default false)")
          @Nullable Boolean admin,
      @Schema(
              description =
                  "The user's tier (claim tier), which buys a share of the fal account; absent:"
                      + " free",
              example = "pro")
          @Pattern(regexp = "[a-z0-9_-]{1,20}")
          @Nullable String tier) {}

  @Schema(name = "DevToken")
  record DevToken(@Schema(description = "A bearer token for the user, valid 12 h") String token) {}

  private final GatewaySettings settings;

  DevTokenController(GatewaySettings settings) {
    this.settings = settings;
  }

  @Operation(
      operationId = "createDevToken",
      summary = "A token for any user name (local profile only)",
      description =
          "Exists only in the local profile; elsewhere this path is 404. With admin: true the"
              + " token also opens the operator API under /admin/v1.")
  @SecurityRequirements
  @PostMapping("/v1/dev/tokens")
  DevToken token(@Valid @RequestBody DevTokenRequest request) throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(request.user())
            .claim("tier", request.tier())
            .issuer("editflow-local")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofHours(12))));
    if (Boolean.TRUE.equals(request.admin())) {
      claims.claim("scope", SecurityConfiguration.ADMIN_SCOPE);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    jwt.sign(new MACSigner(settings.auth().hmacSecret().getBytes(StandardCharsets.UTF_8)));
    return new DevToken(jwt.serialize());
  }
}
