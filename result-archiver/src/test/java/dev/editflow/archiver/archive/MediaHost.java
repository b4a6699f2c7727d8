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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in for fal's media host: a real HTTP server on loopback serving what a test puts. */
final class MediaHost {

  /**
   * @param breakAt bytes sent before the break, or -1 to send everything at once
   * @param holdAtBreak at the break, wait for a second request of the same path and then send the
   *     rest; otherwise drop the connection there
   */
  private record Served(
      byte[] body, String contentType, boolean chunked, int breakAt, boolean holdAtBreak) {}

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
    files.put(path, new Served(body, contentType, chunked, -1, false));
    return url(path);
  }

  /** Sends the first {@code sent} bytes (the headers announce all of them), then drops the line. */
  String putCutOff(String path, byte[] body, String contentType, boolean chunked, int sent) {
    files.put(path, new Served(body, contentType, chunked, sent, false));
    return url(path);
  }

  /**
   * Sends the first {@code sent} bytes, then holds the rest back until the same path is asked for
   * again, so two copies of it are in progress at once.
   */
  String putHeld(String path, byte[] body, String contentType, int sent) {
    files.put(path, new Served(body, contentType, false, sent, true));
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
    byte[] body = served.body();
    exchange.sendResponseHeaders(200, served.chunked() ? 0 : body.length);
    OutputStream out = exchange.getResponseBody();
    if (served.breakAt() < 0) {
      try (out) {
        out.write(body);
      }
      return;
    }
    out.write(body, 0, served.breakAt());
    out.flush();
    if (!served.holdAtBreak()) {
      // The server drops the connection of a handler that fails, without ending the body.
      throw new IOException("connection dropped on purpose after " + served.breakAt() + " bytes");
    }
    awaitSecondRequest(path);
    try (out) {
      out.write(body, served.breakAt(), body.length - served.breakAt());
    }
  }

  private void awaitSecondRequest(String path) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (hits(path) < 2 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
