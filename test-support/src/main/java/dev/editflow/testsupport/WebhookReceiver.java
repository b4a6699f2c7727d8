package dev.editflow.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A client's webhook endpoint: a real HTTP server on loopback that records what it receives and
 * verifies Standard Webhooks signatures the way a receiver does, written from the spec rather than
 * from our signer.
 */
public final class WebhookReceiver {

  /** One request as received; header names in lower case. */
  public record Received(String path, Map<String, String> headers, byte[] body) {

    /** Whether any of the {@code webhook-signature} entries was made with {@code secret}. */
    public boolean signedWith(String secret) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
            new SecretKeySpec(
                Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update(
            (headers.get("webhook-id") + "." + headers.get("webhook-timestamp") + ".")
                .getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String signature : headers.getOrDefault("webhook-signature", "").split(" ")) {
          String[] parts = signature.split(",", 2);
          if (parts.length == 2
              && parts[0].equals("v1")
              && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
            return true;
          }
        }
        return false;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Integer>> answers = new ConcurrentHashMap<>();

  public WebhookReceiver() {
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
  public String url(String path, Integer... statuses) {
    answers.put(path, new ArrayDeque<>(List.of(statuses)));
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Received> receivedAt(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void receive(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
    String path = exchange.getRequestURI().getPath();
    received.add(new Received(path, headers, exchange.getRequestBody().readAllBytes()));
    Deque<Integer> statuses = answers.get(path);
    Integer status = statuses == null ? null : statuses.poll();
    exchange.sendResponseHeaders(status == null ? 204 : status, -1);
    exchange.close();
  }
}
