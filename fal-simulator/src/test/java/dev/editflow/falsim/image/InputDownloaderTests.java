package dev.editflow.falsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InputDownloaderTests {

  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/whole",
        exchange -> {
          exchange.sendResponseHeaders(200, 3);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(new byte[] {1, 2, 3});
          }
        });
    server.createContext(
        "/stalls",
        exchange -> {
          exchange.sendResponseHeaders(200, 1000);
          OutputStream body = exchange.getResponseBody();
          body.write(new byte[10]);
          body.flush();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void downloadsAWholeBody() throws InputDownloadFailed {
    assertThat(new InputDownloader(Duration.ofSeconds(5)).download(url("/whole")))
        .containsExactly(1, 2, 3);
  }

  @Test
  void givesUpOnABodyThatStallsAfterTheHeaders() {
    Instant start = Instant.now();

    assertThatThrownBy(() -> new InputDownloader(Duration.ofSeconds(1)).download(url("/stalls")))
        .isInstanceOf(InputDownloadFailed.class);
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }
}
