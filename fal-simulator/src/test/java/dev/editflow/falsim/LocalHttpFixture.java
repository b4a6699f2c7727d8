package dev.editflow.falsim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * A JDK HTTP server on 127.0.0.1 that plays the outside world for the simulator: it serves
 * generated input images ({@code /images/800x600.png}, {@code .jpg}), a 404 and a non-image, and
 * receives webhooks ({@code /webhook}) with scripted answers.
 */
final class LocalHttpFixture implements AutoCloseable {

  /** A received webhook call. */
  record ReceivedWebhook(Map<String, String> headers, byte[] body) {}

  private final HttpServer server;
  private final List<ReceivedWebhook> webhooks = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> webhookAnswers = new ConcurrentLinkedQueue<>();

  LocalHttpFixture() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/images/", this::image);
    server.createContext(
        "/not-an-image.png", ex -> respond(ex, 200, "text/plain", "hello".getBytes()));
    server.createContext("/webhook", this::webhook);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** URL of a generated image, e.g. {@code imageUrl(800, 600, "png")}. */
  String imageUrl(int width, int height, String extension) {
    return baseUrl() + "/images/" + width + "x" + height + "." + extension;
  }

  String missingUrl() {
    return baseUrl() + "/images/missing";
  }

  String webhookUrl() {
    return baseUrl() + "/webhook";
  }

  /** The next webhook calls are answered with these codes, then 200. */
  void answerWebhooksWith(Integer... codes) {
    webhookAnswers.addAll(List.of(codes));
  }

  List<ReceivedWebhook> webhooks() {
    return new ArrayList<>(webhooks);
  }

  void clear() {
    webhooks.clear();
    webhookAnswers.clear();
  }

  static byte[] image(int width, int height, String format) {
    var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    var out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void image(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().substring("/images/".length());
    var matcher = java.util.regex.Pattern.compile("(\\d+)x(\\d+)\\.(png|jpg)").matcher(name);
    if (!matcher.matches()) {
      respond(exchange, 404, "text/plain", "not found".getBytes());
      return;
    }
    String format = "jpg".equals(matcher.group(3)) ? "jpeg" : "png";
    byte[] bytes =
        image(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), format);
    respond(exchange, 200, "image/" + format, bytes);
  }

  private void webhook(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers =
        exchange.getRequestHeaders().entrySet().stream()
            .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> e.getValue().getFirst()));
    webhooks.add(new ReceivedWebhook(headers, body));
    Integer code = webhookAnswers.poll();
    respond(exchange, code == null ? 200 : code, "text/plain", "ok".getBytes());
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
