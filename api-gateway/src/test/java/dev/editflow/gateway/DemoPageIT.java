package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.testsupport.TestS3;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo web app at /demo/ (local profile): public, and with a Content-Security-Policy that
 * allows its own scripts and styles, the API on this origin and our S3, nothing else.
 */
class DemoPageIT extends GatewayIntegrationTest {

  @Test
  void servesTheDemoWithAPolicyOfItsOwnOriginAndOurS3() {
    String s3 = TestS3.get().endpoint().toString();
    String policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: "
            + s3
            + "; connect-src 'self' "
            + s3
            + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    Response redirect = send(get("/demo", null));
    Response page = send(get("/demo/", null));

    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.raw().headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/demo/"));
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.raw().body()).contains("<title>editflow demo");
    assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValue(policy);
    Matcher script =
        Pattern.compile("src=\"(/demo/assets/[^\"]+\\.js)\"").matcher(page.raw().body());
    if (script.find()) { // absent only when the demo was built without Node (a placeholder page)
      Response code = send(get(script.group(1), null));
      assertThat(code.status()).isEqualTo(200);
      assertThat(code.contentType()).contains("javascript");
    }
  }

  @Test
  void keepsTheApiPolicyOnApiAnswers() {
    Response usage = send(get("/v1/usage", token("demo-policy")));

    assertThat(usage.raw().headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp ->
                assertThat(csp)
                    .startsWith("default-src 'none'")
                    .contains("connect-src 'self'")
                    .doesNotContain("127.0.0.1"));
  }
}
