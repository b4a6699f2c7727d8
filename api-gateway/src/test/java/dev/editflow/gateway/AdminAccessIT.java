package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Only operators reach {@code /admin}: every admin operation of the API's own description, and
 * paths that do not exist there, answer a normal user's token with 403 and no token with 401.
 */
class AdminAccessIT extends GatewayIntegrationTest {

  @Test
  void aNormalUsersTokenGets403EverywhereUnderAdmin() {
    String user = token("mallory-" + UUID.randomUUID());
    List<String[]> operations = adminOperations();
    assertThat(operations).as("admin operations in /v3/api-docs").hasSizeGreaterThanOrEqualTo(11);
    operations.add(new String[] {"GET", "/admin/v1/no-such-thing"});
    operations.add(new String[] {"DELETE", "/admin/v1/jobs/ed_01JD3Q7ZK2M8T6X4V9W0B5N1C3"});
    for (String[] operation : operations) {
      Response answer = send(method(operation[0], operation[1], user));
      assertThat(answer.status())
          .as(operation[0] + " " + operation[1] + ": " + answer)
          .isEqualTo(403);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().get("code").asString()).isEqualTo("FORBIDDEN");
    }
  }

  @Test
  void noTokenGets401UnderAdmin() {
    for (String[] operation : adminOperations()) {
      Response answer = send(method(operation[0], operation[1], null));
      assertThat(answer.status()).as(operation[0] + " " + operation[1]).isEqualTo(401);
      assertThat(answer.json().get("code").asString()).isEqualTo("UNAUTHENTICATED");
    }
  }

  @Test
  void anOperatorTokenOpensAdminAndStillWorksAsAUser() {
    String operator = adminToken("ops-" + UUID.randomUUID());
    assertThat(send(get("/admin/v1/jobs?state=QUEUED", operator)).status()).isEqualTo(200);
    assertThat(send(get("/v1/usage", operator)).status()).isEqualTo(200);
  }

  /** Every admin operation the OpenAPI document lists, with placeholder path parameters. */
  private List<String[]> adminOperations() {
    JsonNode paths = send(get("/v3/api-docs", null)).json().get("paths");
    List<String[]> operations = new ArrayList<>();
    for (String path : paths.propertyNames()) {
      if (!path.startsWith("/admin/")) {
        continue;
      }
      String concrete = path.replaceAll("\\{[^}]+}", "ed_01JD3Q7ZK2M8T6X4V9W0B5N1C3");
      for (String method : paths.get(path).propertyNames()) {
        operations.add(new String[] {method.toUpperCase(Locale.ROOT), concrete});
      }
    }
    return operations;
  }
}
