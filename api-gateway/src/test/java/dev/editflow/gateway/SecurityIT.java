package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.gateway.system.GatewaySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The gateway's defences, each shown by a request that would get through without it. */
class SecurityIT extends GatewayIntegrationTest {

  @Autowired GatewaySettings settings;

  @Test
  void refusesTokensThatAreExpiredForgedUnsignedOrWithoutSubjectOrExpiry() {
    String secret = settings.auth().hmacSecret();
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("expired", Tokens.hs256(secret, Tokens.claims("eve", Instant.now().minus(hour()))));
    tokens.put(
        "signed with another secret",
        Tokens.hs256("another-secret-that-is-also-32-bytes-long", Tokens.valid("eve")));
    tokens.put("alg none", Tokens.unsigned(Tokens.valid("eve")));
    tokens.put("no subject", Tokens.hs256(secret, Tokens.claims(null, Instant.now().plus(hour()))));
    tokens.put("blank subject", Tokens.hs256(secret, Tokens.valid(" ")));
    tokens.put("no expiry", Tokens.hs256(secret, Tokens.claims("eve", null)));

    // The same construction with the right secret and claims is accepted: the others fail for
    // the reason their name gives.
    assertThat(send(get("/v1/edits", Tokens.hs256(secret, Tokens.valid("eve")))).status())
        .isEqualTo(200);
    SoftAssertions softly = new SoftAssertions();
    tokens.forEach(
        (name, token) -> {
          Response response = send(get("/v1/edits", token));
          softly.assertThat(response.status()).as(name).isEqualTo(401);
          softly.assertThat(response.contentType()).as(name).startsWith("application/problem+json");
          softly
              .assertThat(response.json().path("code").asString(""))
              .as(name)
              .isEqualTo("UNAUTHENTICATED");
          softly
              .assertThat(response.raw().headers().firstValue("WWW-Authenticate"))
              .as(name)
              .hasValue("Bearer");
        });
    softly.assertAll();
  }

  @Test
  void refusesA60MegabyteBodyBeforeReadingIt() {
    String token = token("frank-" + UUID.randomUUID());

    // Only the head is sent: a server that waited for the announced 60 MB would never answer.
    RawHttp.Answer answer =
        RawHttp.send(
            port,
            "POST /v1/edits HTTP/1.1\r\n"
                + "Authorization: Bearer "
                + token
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + 60L * 1024 * 1024);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void stopsReadingABodyOfUnknownLengthAtTheLimit() {
    String token = token("grace-" + UUID.randomUUID());
    byte[] start = "{\"prompt\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] more = "x".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);

    // 200 KB of an endless prompt, chunked and never finished: only a reader that stops at the
    // limit (64 KB) can answer.
    RawHttp.Answer answer =
        RawHttp.send(
            port,
            "POST /v1/edits HTTP/1.1\r\n"
                + "Authorization: Bearer "
                + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
            out -> {
              RawHttp.chunk(out, start);
              for (int i = 0; i < 12; i++) {
                RawHttp.chunk(out, more);
              }
            });

    assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void answersRequestsTomcatRefusesWithProblems() {
    String token = token("heidi-" + UUID.randomUUID());
    List<String> requestLines =
        List.of(
            "GET /v1/edits/%2F.. HTTP/1.1",
            "GET /v1/edits/%00 HTTP/1.1",
            "GET /v1/edits/%5C HTTP/1.1",
            "GET /v1/edits/a|b HTTP/1.1",
            "GET /v1/edits/{id} HTTP/1.1",
            "GET /v1/edits/a%zz HTTP/1.1",
            "GET /v1/edits?status=a|b HTTP/1.1",
            "GET /v1/edits/../../actuator/env HTTP/1.1",
            "GET /v1/edits/a;jsessionid=1 HTTP/1.1",
            "NOT-HTTP-AT-ALL");

    SoftAssertions softly = new SoftAssertions();
    for (String line : requestLines) {
      RawHttp.Answer answer = RawHttp.send(port, line + "\r\nAuthorization: Bearer " + token);
      softly.assertThat(answer.status()).as(line).isEqualTo(400);
      softly
          .assertThat(answer.header("Content-Type"))
          .as(line)
          .startsWith("application/problem+json");
      softly.assertThat(answer.body()).as(line).contains("\"code\":\"INVALID_REQUEST\"");
      softly.assertThat(answer.body()).as(line).doesNotContain("<html", "Tomcat", "Exception");
    }
    softly.assertAll();
  }

  @Test
  void putsTheSecurityHeadersOnEveryAnswer() {
    String token = token("ivan-" + UUID.randomUUID());
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    answers.put("200 from the API", RawHttp.send(port, "GET /v1/edits HTTP/1.1" + auth(token)));
    answers.put("401 from Spring Security", RawHttp.send(port, "GET /v1/edits HTTP/1.1"));
    answers.put(
        "404 from Spring MVC", RawHttp.send(port, "GET /v1/nothing HTTP/1.1" + auth(token)));
    answers.put("400 from the firewall", RawHttp.send(port, "GET /v1/../x HTTP/1.1" + auth(token)));
    answers.put("400 from Tomcat", RawHttp.send(port, "GET /v1/edits/%00 HTTP/1.1"));
    answers.put(
        "413 from the body limit",
        RawHttp.send(
            port,
            "POST /v1/edits HTTP/1.1"
                + auth(token)
                + "\r\nContent-Type: application/json\r\nContent-Length: 100000000"));

    SoftAssertions softly = new SoftAssertions();
    answers.forEach(
        (name, answer) -> {
          softly.assertThat(answer.header("X-Content-Type-Options")).as(name).isEqualTo("nosniff");
          softly.assertThat(answer.header("X-Frame-Options")).as(name).isEqualTo("DENY");
          softly.assertThat(answer.header("Referrer-Policy")).as(name).isEqualTo("no-referrer");
          softly.assertThat(answer.header("Cache-Control")).as(name).contains("no-store");
        });
    softly.assertAll();
  }

  @Test
  void exposesOnlyHealthAndMetricsWithoutAToken() {
    String token = token("judy-" + UUID.randomUUID());
    List<String> internals =
        List.of(
            "/actuator/env",
            "/actuator/heapdump",
            "/actuator/beans",
            "/actuator/configprops",
            "/actuator/mappings",
            "/actuator/loggers",
            "/actuator/threaddump",
            "/actuator/info");

    SoftAssertions softly = new SoftAssertions();
    for (String path : List.of("/actuator/health", "/actuator/prometheus")) {
      softly.assertThat(send(get(path, null)).status()).as(path).isEqualTo(200);
    }
    for (String group : List.of("liveness", "readiness")) {
      softly.assertThat(send(get("/actuator/health/" + group, null)).status()).isEqualTo(200);
    }
    for (String path : internals) {
      Response anonymous = send(get(path, null));
      softly.assertThat(anonymous.status()).as("anonymous " + path).isEqualTo(401);
      softly.assertThat(anonymous.json().path("code").asString("")).isEqualTo("UNAUTHENTICATED");
    }
    // Any user can get a token, so a token must not open them either: they are not exposed.
    for (String path : internals.subList(0, 7)) {
      Response user = send(get(path, token));
      softly.assertThat(user.status()).as("user " + path).isEqualTo(404);
      softly.assertThat(user.raw().body()).as("user " + path).doesNotContain("hmac", "password");
    }
    softly.assertAll();
  }

  private static String auth(String token) {
    return "\r\nAuthorization: Bearer " + token;
  }

  private static Duration hour() {
    return Duration.ofHours(1);
  }
}
