package dev.editflow.archiver.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.editflow.safehttp.HostResolver;
import dev.editflow.safehttp.OutboundPolicy;
import dev.editflow.safehttp.PinnedHttp;
import dev.editflow.safehttp.UrlNotAllowed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fetcher against a real HTTP server on loopback, with a fake resolver standing in for DNS so
 * redirects can point at names that resolve to internal addresses.
 */
class MediaFetcherTests {

  private static HttpServer server;
  private static int port;
  private static final byte[] IMAGE = new byte[300_000];
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
  private static final List<String> RESOLVED = new ArrayList<>();

  private static final HostResolver FAKE_DNS =
      host -> {
        synchronized (RESOLVED) {
          RESOLVED.add(host);
        }
        return switch (host) {
          case "media.test", "cdn.test" -> new InetAddress[] {loopback()};
          case "internal.test" -> new InetAddress[] {InetAddress.getByName("10.0.0.5")};
          case "mixed.test" ->
              new InetAddress[] {loopback(), InetAddress.getByName("169.254.169.254")};
          default -> throw new UnknownHostException(host);
        };
      };

  @BeforeAll
  static void startServer() throws IOException {
    new Random(7).nextBytes(IMAGE);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    port = server.getAddress().getPort();
    server.createContext("/", MediaFetcherTests::serve);
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  private static void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    switch (path) {
      case "/image" -> send(exchange, 200, IMAGE, false);
      case "/image-chunked" -> send(exchange, 200, IMAGE, true);
      case "/to-cdn" -> redirect(exchange, "http://cdn.test:" + port + "/image");
      case "/relative" -> redirect(exchange, "/image");
      case "/to-other-host" -> redirect(exchange, "http://other.test:" + port + "/image");
      case "/to-internal" -> redirect(exchange, "http://internal.test:" + port + "/image");
      case "/to-mixed" -> redirect(exchange, "http://mixed.test:" + port + "/image");
      case "/to-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
      case "/to-decimal-ip" -> redirect(exchange, "http://2130706433:" + port + "/image");
      case "/to-file" -> redirect(exchange, "file:///etc/passwd");
      case "/to-credentials" -> redirect(exchange, "http://user:pw@media.test:" + port + "/image");
      case "/loop" -> redirect(exchange, "/loop");
      case "/hop3" -> redirect(exchange, "/hop2");
      case "/hop2" -> redirect(exchange, "/hop1");
      case "/hop1" -> redirect(exchange, "/image");
      case "/no-location" -> send(exchange, 302, new byte[0], false);
      case "/gone" -> send(exchange, 410, new byte[0], false);
      case "/forbidden" -> send(exchange, 403, new byte[0], false);
      case "/busy" -> send(exchange, 503, new byte[0], false);
      case "/slow-down" -> send(exchange, 429, new byte[0], false);
      default -> send(exchange, 404, "nope".getBytes(StandardCharsets.UTF_8), false);
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body, boolean chunked)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "image/png");
    exchange.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }

  private static MediaFetcher fetcher(Duration readTimeout) {
    OutboundPolicy policy =
        new OutboundPolicy(
            List.of(
                "media.test:" + port,
                "cdn.test:" + port,
                "internal.test:" + port,
                "mixed.test:" + port),
            true,
            true);
    return fetcher(policy, Duration.ofSeconds(2), readTimeout);
  }

  private static MediaFetcher fetcher(
      OutboundPolicy policy, Duration connectTimeout, Duration readTimeout) {
    return new MediaFetcher(
        new PinnedHttp(policy, FAKE_DNS, null, connectTimeout, readTimeout),
        Duration.ofSeconds(30),
        3);
  }

  private byte[] download(String path) throws IOException {
    try (Download download = fetcher(Duration.ofSeconds(5)).open(url(path))) {
      return download.body().readAllBytes();
    }
  }

  private static String url(String path) {
    return "http://media.test:" + port + path;
  }

  @Test
  void streamsABodyWithContentLength() throws IOException {
    try (Download download = fetcher(Duration.ofSeconds(5)).open(url("/image"))) {
      assertThat(download.contentLength()).hasValue(IMAGE.length);
      assertThat(download.contentType()).isEqualTo("image/png");
      assertThat(download.body().readAllBytes()).isEqualTo(IMAGE);
    }
  }

  @Test
  void streamsAChunkedBody() throws IOException {
    try (Download download = fetcher(Duration.ofSeconds(5)).open(url("/image-chunked"))) {
      assertThat(download.contentLength()).isEmpty();
      assertThat(download.body().readAllBytes()).isEqualTo(IMAGE);
    }
  }

  @Test
  void followsRedirectsToAllowedHostsCheckingEachHop() throws IOException {
    assertThat(download("/to-cdn")).isEqualTo(IMAGE);
    assertThat(download("/relative")).isEqualTo(IMAGE);
    synchronized (RESOLVED) {
      assertThat(RESOLVED).contains("cdn.test");
    }
  }

  @Test
  void followsAtMostThreeRedirects() throws IOException {
    assertThat(download("/hop3")).isEqualTo(IMAGE);
    assertThatThrownBy(() -> download("/loop"))
        .isInstanceOf(UrlNotAllowed.class)
        .hasMessageContaining("more than 3 redirects");
    assertThat(HITS.get("/loop")).hasValue(4);
  }

  @Test
  void refusesRedirectsToHostsOffTheAllowList() {
    for (String path :
        List.of(
            "/to-other-host", "/to-metadata", "/to-decimal-ip", "/to-file", "/to-credentials")) {
      assertThatThrownBy(() -> download(path)).as(path).isInstanceOf(UrlNotAllowed.class);
    }
  }

  @Test
  void refusesRedirectsToAllowedNamesThatResolveInternally() {
    assertThatThrownBy(() -> download("/to-internal"))
        .isInstanceOf(UrlNotAllowed.class)
        .hasMessageContaining("10.0.0.5")
        .hasMessageContaining("private");
    assertThatThrownBy(() -> download("/to-mixed"))
        .isInstanceOf(UrlNotAllowed.class)
        .hasMessageContaining("metadata");
  }

  @Test
  void refusesARedirectWithoutLocation() {
    assertThatThrownBy(() -> download("/no-location")).isInstanceOf(UrlNotAllowed.class);
  }

  @Test
  void reportsMissingAndForbiddenMediaAsGone() {
    assertThatThrownBy(() -> download("/missing"))
        .isInstanceOfSatisfying(MediaGone.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> download("/gone"))
        .isInstanceOfSatisfying(MediaGone.class, e -> assertThat(e.status()).isEqualTo(410));
    assertThatThrownBy(() -> download("/forbidden")).isInstanceOf(MediaGone.class);
  }

  @Test
  void reportsServerErrorsAndThrottlingAsUnreachable() {
    assertThatThrownBy(() -> download("/busy")).isInstanceOf(MediaUnreachable.class);
    assertThatThrownBy(() -> download("/slow-down")).isInstanceOf(MediaUnreachable.class);
  }

  @Test
  void reportsUnknownHostsAsUnreachable() {
    MediaFetcher fetcher =
        fetcher(
            new OutboundPolicy(List.of("nowhere.test:" + port), true, true),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> fetcher.open("http://nowhere.test:" + port + "/image"))
        .isInstanceOf(MediaUnreachable.class);
  }

  @Test
  void reportsATruncatedBodyAsUnreachable() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 1, loopback())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket socket = raw.accept()) {
                  drainHead(socket.getInputStream());
                  socket
                      .getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten b"
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                  // the test fails on its own if the exchange does not happen
                }
              });
      MediaFetcher fetcher = rawFetcher(raw.getLocalPort(), Duration.ofSeconds(5));
      try (Download download = fetcher.open("http://media.test:" + raw.getLocalPort() + "/x")) {
        assertThatThrownBy(() -> download.body().readAllBytes())
            .isInstanceOf(MediaUnreachable.class)
            .hasMessageContaining("missing");
      }
    }
  }

  @Test
  void givesUpOnAHostThatNeverAnswers() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, loopback())) {
      MediaFetcher fetcher = rawFetcher(silent.getLocalPort(), Duration.ofMillis(300));
      assertThatThrownBy(() -> fetcher.open("http://media.test:" + silent.getLocalPort() + "/x"))
          .isInstanceOf(MediaUnreachable.class);
    }
  }

  private static MediaFetcher rawFetcher(int rawPort, Duration readTimeout) {
    return fetcher(
        new OutboundPolicy(List.of("media.test:" + rawPort), true, true),
        Duration.ofSeconds(1),
        readTimeout);
  }

  private static void drainHead(InputStream in) throws IOException {
    BufferedReader head = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    while (!head.readLine().isEmpty()) {
      // request head only
    }
  }
}
