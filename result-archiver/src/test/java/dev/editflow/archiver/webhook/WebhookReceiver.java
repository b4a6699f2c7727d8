package dev.editflow.archiver.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A client's webhook endpoint: a real HTTP server on loopback that records what it receives. */
final class WebhookReceiver {

  record Received(String path, Map<String, String> headers, byte[] body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Integer>> answers = new ConcurrentHashMap<>();

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::receive);
    server.start();
  }

  /** The statuses {@code path} answers with, in order; 204 once they are used up. */
  String url(String path, Integer... statuses) {
    answers.put(path, new ArrayDeque<>(List.of(statuses)));
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Received> receivedAt(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void receive(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
    String path = exchange.getRequestURI().getPath();
    received.add(new Received(path, headers, exchange.getRequestBody().readAllBytes()));
    Deque<Integer> statuses = answers.get(path);
    Integer status = statuses == null ? null : statuses.poll();
    exchange.sendResponseHeaders(status == null ? 204 : status, -1);
    exchange.close();
  }
}
