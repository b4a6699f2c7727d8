package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/** The gateway as deployed: no {@code local} profile, so nobody can mint tokens. */
@ActiveProfiles(inheritProfiles = false)
@TestPropertySource(
    properties = "editflow.gateway.auth.hmac-secret=" + DevTokensOutsideLocalProfileIT.SECRET)
class DevTokensOutsideLocalProfileIT extends GatewayIntegrationTest {

  static final String SECRET = "a-deployment-secret-of-at-least-32-bytes";

  @Test
  void hasNoDevTokenEndpoint() {
    Response response = send(post("/v1/dev/tokens", null, Map.of("user", "mallory")));

    assertThat(response.status()).as(response.toString()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("code").asString()).isEqualTo("NOT_FOUND");
    assertThat(response.json().has("token")).isFalse();
    // The API itself is up and takes tokens of the configured issuer: only the endpoint is gone.
    assertThat(send(get("/v1/edits", Tokens.hs256(SECRET, Tokens.valid("alice")))).status())
        .isEqualTo(200);
  }

  @Test
  void servesNoDemoPage() {
    Response page = send(get("/demo/", Tokens.hs256(SECRET, Tokens.valid("alice"))));

    assertThat(page.status()).as(page.toString()).isEqualTo(404);
    assertThat(page.json().get("code").asString()).isEqualTo("NOT_FOUND");
  }
}
