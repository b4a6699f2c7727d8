package dev.editflow.fal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP server on loopback answering with scripted responses, recording what it got. */
final class ScriptedFal implements AutoCloseable {

  record Reply(int status, Map<String, String> headers, String body) {}

  record Received(String method, String path, Map<String, List<String>> headers, String body) {}

  private static final int HANG = -1;

  private final HttpServer server;
  private final Deque<Reply> replies = new ArrayDeque<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  ScriptedFal() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::answer);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next request gets no answer at all. */
  ScriptedFal thenHang() {
    return then(HANG, Map.of(), "");
  }

  ScriptedFal then(int status, String body) {
    return then(status, Map.of(), body);
  }

  synchronized ScriptedFal then(int status, Map<String, String> headers, String body) {
    replies.add(new Reply(status, headers, body));
    return this;
  }

  private void answer(HttpExchange exchange) throws IOException {
    byte[] in = exchange.getRequestBody().readAllBytes();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().toString(),
            Map.copyOf(exchange.getRequestHeaders()),
            new String(in, StandardCharsets.UTF_8)));
    Reply reply;
    synchronized (this) {
      reply =
          replies.isEmpty()
              ? new Reply(500, Map.of(), "{\"detail\":\"no script\"}")
              : replies.poll();
    }
    if (reply.status() == HANG) {
      // Leave the exchange open without answering, like a runner that stopped talking.
      return;
    }
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
