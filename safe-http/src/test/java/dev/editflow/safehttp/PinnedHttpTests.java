package dev.editflow.safehttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pinned client against a real HTTP server on loopback, with a fake resolver standing in for
 * DNS: it connects only to addresses it checked, resolves once per exchange and never follows a
 * redirect.
 */
class PinnedHttpTests {

  private HttpServer server;
  private int port;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> resolved = new CopyOnWriteArrayList<>();

  private final HostResolver fakeDns =
      host -> {
        resolved.add(host);
        return switch (host) {
          case "hooks.test" -> new InetAddress[] {InetAddress.getLoopbackAddress()};
          case "metadata.test" -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
          default -> throw new UnknownHostException(host);
        };
      };

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    port = server.getAddress().getPort();
    server.createContext(
        "/",
        exchange -> {
          received.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          if (exchange.getRequestURI().getPath().equals("/moved")) {
            exchange.getResponseHeaders().set("Location", "http://hooks.test:" + port + "/hook");
            exchange.sendResponseHeaders(307, -1);
          } else {
            exchange.sendResponseHeaders(204, -1);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private PinnedHttp client(boolean allowLoopback) {
    return new PinnedHttp(
        new OutboundPolicy(List.of("*"), true, allowLoopback),
        fakeDns,
        null,
        Duration.ofSeconds(2),
        Duration.ofSeconds(2));
  }

  private static byte[] body(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void postsToTheAddressItCheckedResolvingOnce() throws IOException {
    PinnedHttp http = client(true);
    var url = http.policy().check("http://hooks.test:" + port + "/hook?x=1");

    try (PinnedHttp.Response response =
        http.post(url, Map.of("Content-Type", "application/json"), body("{\"a\":1}"))) {
      assertThat(response.status()).isEqualTo(204);
    }
    assertThat(received).containsExactly("POST /hook?x=1 {\"a\":1}");
    assertThat(resolved).containsExactly("hooks.test");
  }

  @Test
  void answersARedirectWithoutFollowingIt() throws IOException {
    PinnedHttp http = client(true);

    try (PinnedHttp.Response response =
        http.post(
            http.policy().check("http://hooks.test:" + port + "/moved"), Map.of(), body("x"))) {
      assertThat(response.status()).isEqualTo(307);
      assertThat(response.header("Location")).endsWith("/hook");
    }
    assertThat(received).containsExactly("POST /moved x");
  }

  @Test
  void refusesANameThatResolvesToAForbiddenAddressBeforeConnecting() {
    PinnedHttp http = client(true);
    var url = http.policy().check("http://metadata.test:" + port + "/latest/meta-data/");

    assertThatThrownBy(() -> http.get(url, Map.of()))
        .isInstanceOf(UrlNotAllowed.class)
        .hasMessageContaining("169.254.169.254")
        .hasMessageContaining("metadata");
  }

  @Test
  void refusesLoopbackUnlessAllowed() {
    PinnedHttp http = client(false);
    var url = http.policy().check("http://hooks.test:" + port + "/hook");

    assertThatThrownBy(() -> http.post(url, Map.of(), body("x")))
        .isInstanceOf(UrlNotAllowed.class)
        .hasMessageContaining("loopback");
    assertThat(received).isEmpty();
  }

  @Test
  void reportsAHostThatDoesNotResolveAsAnIoFailure() {
    PinnedHttp http = client(true);
    var url = http.policy().check("http://nowhere.test:" + port + "/hook");

    assertThatThrownBy(() -> http.post(url, Map.of(), body("x")))
        .isInstanceOf(UnknownHostException.class);
  }
}
