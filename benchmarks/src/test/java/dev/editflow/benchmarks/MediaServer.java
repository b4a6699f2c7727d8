package dev.editflow.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/** fal's media host for B4: a real HTTP server on loopback serving outputs from memory. */
final class MediaServer implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  MediaServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::serve);
    server.start();
  }

  /** {@code host:port}, as the archiver's allow-list wants it. */
  String authority() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves {@code body} as a PNG at {@code path}; returns its URL. */
  String put(String path, byte[] body) {
    files.put(path, body);
    return "http://" + authority() + path;
  }

  void clear() {
    files.clear();
  }

  private void serve(HttpExchange exchange) throws IOException {
    byte[] body = files.get(exchange.getRequestURI().getPath());
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "image/png");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
