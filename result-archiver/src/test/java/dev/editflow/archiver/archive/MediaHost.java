package dev.editflow.archiver.archive;

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
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in for fal's media host: a real HTTP server on loopback serving what a test puts. */
final class MediaHost {

  private record Served(byte[] body, String contentType, boolean chunked) {}

  private final HttpServer server;
  private final Map<String, Served> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  MediaHost() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::serve);
    server.start();
  }

  /** {@code host:port}, as the allow-list wants it. */
  String authority() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  String put(String path, byte[] body, String contentType, boolean chunked) {
    files.put(path, new Served(body, contentType, chunked));
    return url(path);
  }

  String url(String path) {
    return "http://" + authority() + path;
  }

  int hits(String path) {
    AtomicInteger count = hits.get(path);
    return count == null ? 0 : count.get();
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Served served = files.get(path);
    if (served == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", served.contentType());
    exchange.sendResponseHeaders(200, served.chunked() ? 0 : served.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(served.body());
    }
  }
}
