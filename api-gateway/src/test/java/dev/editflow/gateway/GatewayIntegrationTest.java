package dev.editflow.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.editflow.testsupport.TestImages;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway over real HTTP, PostgreSQL, RabbitMQ and S3, as a frontend calls it. */
// Tests sweep expired uploads themselves, when they choose.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "editflow.gateway.uploads.sweep-interval=1h")
@ActiveProfiles("local")
abstract class GatewayIntegrationTest {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
    TestS3.get().register(registry);
  }

  record Response(int status, String contentType, HttpResponse<String> raw) {
    JsonNode json() {
      return JSON.readTree(raw.body());
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  String token(String user) {
    return send(post("/v1/dev/tokens", null, Map.of("user", user))).json().get("token").asString();
  }

  /** A token of the local profile's dev endpoint with the operator scope. */
  String adminToken(String user) {
    return send(post("/v1/dev/tokens", null, Map.of("user", user, "admin", true)))
        .json()
        .get("token")
        .asString();
  }

  /** Submits an edit of a fresh upload for the token's user; returns the job id. */
  String submitEdit(String token) {
    return submitEdit(token, Map.of());
  }

  /** {@link #submitEdit(String)} with more fields of the request. */
  String submitEdit(String token, Map<String, Object> more) {
    String uploadId = upload(token, TestImages.png(20, 20), "image/png");
    Map<String, Object> body = new java.util.HashMap<>(more);
    body.put("prompt", "purple sky");
    body.put("inputs", java.util.List.of(Map.of("uploadId", uploadId)));
    Response accepted = send(post("/v1/edits", token, body));
    if (accepted.status() != 202) {
      throw new IllegalStateException(accepted.toString());
    }
    return accepted.json().get("id").asString();
  }

  HttpRequest.Builder post(String path, String token, Object body) {
    String json = body instanceof String raw ? raw : JSON.writeValueAsString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  HttpRequest.Builder method(String method, String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("GET") || method.equals("DELETE")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  HttpRequest.Builder get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Uploads {@code bytes} announced as {@code contentType}, as a browser would; returns the
   * uploadId.
   */
  String upload(String token, byte[] bytes, String contentType) {
    Response created =
        send(
            post(
                "/v1/uploads",
                token,
                Map.of("contentType", contentType, "contentLength", bytes.length)));
    if (created.status() != 201) {
      throw new IllegalStateException(created.toString());
    }
    Response put =
        send(
            HttpRequest.newBuilder(URI.create(created.json().get("url").asString()))
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    if (put.status() != 200) {
      throw new IllegalStateException("PUT " + put);
    }
    return created.json().get("uploadId").asString();
  }

  /** Serves {@code body} as {@code /jwks.json} on a loopback port until stopped. */
  static HttpServer serveJwks(String body) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/jwks.json",
          exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
