package dev.editflow.falsim.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;

/**
 * A JDK HTTP server on 127.0.0.1 playing our side of the wire: it serves the input image fal
 * downloads and receives fal's webhooks, as the storage and the api-gateway would.
 */
final class OutsideWorld {

  /** A webhook as it arrived: headers (looked up in any case) and the raw body. */
  record Delivery(Headers headers, byte[] body) {}

  private final HttpServer server;
  private final byte[] png = png();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  OutsideWorld() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/in.png", exchange -> respond(exchange, 200, "image/png", png));
    server.createContext(
        "/gone.png", exchange -> respond(exchange, 404, "text/plain", "gone".getBytes()));
    server.createContext("/webhook", this::webhook);
    server.start();
  }

  String imageUrl() {
    return base() + "/in.png";
  }

  String missingImageUrl() {
    return base() + "/gone.png";
  }

  String webhookUrl() {
    return base() + "/webhook";
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  void clear() {
    deliveries.clear();
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void webhook(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    deliveries.add(new Delivery(new Headers(exchange.getRequestHeaders()), body));
    respond(exchange, 200, "text/plain", "ok".getBytes());
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] png() {
    var image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    var graphics = image.createGraphics();
    graphics.setColor(Color.ORANGE);
    graphics.fillRect(0, 0, 80, 60);
    graphics.dispose();
    var out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
