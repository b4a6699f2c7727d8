package dev.editflow.gateway.auth;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.gateway.system.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.Assert;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Stateless JWT bearer authentication: the token's subject owns the jobs it creates; a token needs
 * a subject and an expiry. Health, metrics, the API description, fal webhooks (verified by
 * signature instead) and the local profile's dev tokens are the only public endpoints. The operator
 * surface {@code /admin/**} needs a token whose {@code scope} holds {@value #ADMIN_SCOPE}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /** The scope ({@code scope} or {@code scp} claim) that opens {@code /admin/**}. */
  static final String ADMIN_SCOPE = "editflow:admin";

  private static final String ADMIN_AUTHORITY = "SCOPE_" + ADMIN_SCOPE;

  /**
   * Spring Security's own spans (filter chains, authentication, authorization) would only bury the
   * request's; not observing them at all also spares every request a wrapper around each filter.
   */
  @Bean
  SecurityObservationSettings noSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http, Problems problems, GatewaySettings settings)
      throws Exception {
    return http.csrf(csrf -> csrf.disable())
        .cors(c -> c.configurationSource(cors(settings)))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .headers(
            h ->
                h.contentSecurityPolicy(
                    csp ->
                        csp.policyDirectives(
                            "default-src 'none'; frame-ancestors 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'")))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(
                        "/actuator/health/**", "/actuator/health", "/actuator/prometheus")
                    .permitAll()
                    .requestMatchers(
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/v3/api-docs.yaml",
                        "/swagger-ui/**",
                        "/swagger-ui.html")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/v1/dev/tokens", "/v1/fal/webhooks")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    // Deny by prefix, not by endpoint: a user token meets 403 on every admin path,
                    // whether or not an endpoint exists there.
                    .requestMatchers("/admin/**")
                    .hasAuthority(ADMIN_AUTHORITY)
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(
                        (request, response, e) ->
                            problems.write(
                                request,
                                response,
                                ApiError.UNAUTHENTICATED,
                                "A valid bearer token is required"))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            problems.write(request, response, ApiError.FORBIDDEN, "Not allowed")))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, ex) ->
                            problems.write(
                                request,
                                response,
                                ApiError.UNAUTHENTICATED,
                                "A valid bearer token is required"))
                    .accessDeniedHandler(
                        (request, response, ex) ->
                            problems.write(request, response, ApiError.FORBIDDEN, "Not allowed")))
        .build();
  }

  /**
   * HS256 with the shared secret, unless an issuer or JWK set is configured: Boot's decoder for
   * those then (a missing-bean condition would not do: this class is processed before Boot's).
   */
  @Bean
  @ConditionalOnExpression(
      "'${spring.security.oauth2.resourceserver.jwt.issuer-uri:}' == ''"
          + " and '${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}' == ''")
  JwtDecoder jwtDecoder(GatewaySettings settings) {
    String secret = settings.auth().hmacSecret();
    Assert.state(
        secret != null && secret.getBytes(StandardCharsets.UTF_8).length >= 32,
        "editflow.gateway.auth.hmac-secret must be set to at least 32 bytes (or configure "
            + "spring.security.oauth2.resourceserver.jwt.issuer-uri)");
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    decoder.setClaimSetConverter(
        MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, plainIssuer())));
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefault(),
            // The subject owns jobs and uploads, and a token that never expires is never revoked.
            new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()),
            new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull)));
    return decoder;
  }

  /**
   * The default {@code iss} conversion tries the value as a URL first, and an issuer without a
   * scheme (the dev tokens' {@code editflow-local}) made it throw and catch an exception on every
   * request. Such an issuer stays the string it is either way; any other goes through the default
   * conversion.
   */
  private static Converter<Object, Object> plainIssuer() {
    MappedJwtClaimSetConverter defaults = MappedJwtClaimSetConverter.withDefaults(Map.of());
    return issuer -> {
      if (issuer == null || issuer instanceof String plain && plain.indexOf(':') < 0) {
        return issuer;
      }
      return defaults.convert(Map.of(JwtClaimNames.ISS, issuer)).get(JwtClaimNames.ISS);
    };
  }

  /** Not a bean: Spring MVC's handler-mapping introspector is one too. */
  private static CorsConfigurationSource cors(GatewaySettings settings) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(settings.cors().allowedOrigins());
    cors.addAllowedMethod("GET");
    cors.addAllowedMethod("POST");
    cors.addAllowedMethod("DELETE");
    cors.addAllowedHeader("Authorization");
    cors.addAllowedHeader("Content-Type");
    cors.addAllowedHeader("Idempotency-Key");
    cors.addAllowedHeader("Last-Event-ID");
    cors.addExposedHeader("Location");
    cors.addExposedHeader("Retry-After");
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/v1/**", cors);
    return source;
  }
}
