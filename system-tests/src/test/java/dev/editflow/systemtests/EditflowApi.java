package dev.editflow.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The v1 HTTP API as a frontend calls it, for one user. */
final class EditflowApi {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  private final String token;

  private EditflowApi(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** Logs in as {@code user} through the local profile's dev token endpoint. */
  static EditflowApi as(URI base, String user) {
    return login(base, Map.of("user", user));
  }

  /** Logs in as operator {@code user}: the token opens {@code /admin/v1}. */
  static EditflowApi asOperator(URI base, String user) {
    return login(base, Map.of("user", user, "admin", true));
  }

  /** Logs in as {@code user} of {@code tier} (a token with the {@code tier} claim). */
  static EditflowApi as(URI base, String user, String tier) {
    return login(base, Map.of("user", user, "tier", tier));
  }

  private static EditflowApi login(URI base, Map<String, Object> request) {
    Response response =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/dev/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                .build());
    if (response.status() != 200 && response.status() != 201) {
      throw new IllegalStateException("dev token: " + response);
    }
    return new EditflowApi(base, response.json().get("token").asString());
  }

  Response post(String path, Object body) {
    return post(path, body, Map.of());
  }

  Response post(String path, Object body, Map<String, String> headers) {
    String json = body instanceof String raw ? raw : JSON.writeValueAsString(body);
    HttpRequest.Builder request =
        authorized(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(request.build());
  }

  Response get(String path) {
    return send(authorized(path).GET().build());
  }

  Response delete(String path) {
    return send(authorized(path).DELETE().build());
  }

  /** Uploads {@code bytes} the way a browser does: ask for a presigned PUT, then PUT to S3. */
  String upload(byte[] bytes, String contentType) {
    Response created =
        post("/v1/uploads", Map.of("contentType", contentType, "contentLength", bytes.length));
    if (created.status() != 201) {
      throw new IllegalStateException("upload: " + created);
    }
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(created.json().get("url").asString()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    created
        .json()
        .path("headers")
        .properties()
        .forEach(
            header -> {
              if (!header.getKey().equalsIgnoreCase("content-length")
                  && !header.getKey().equalsIgnoreCase("host")) {
                put.header(header.getKey(), header.getValue().asString());
              }
            });
    Response stored = send(put.build());
    if (stored.status() != 200) {
      throw new IllegalStateException("PUT to S3: " + stored);
    }
    return created.json().get("uploadId").asString();
  }

  HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token);
  }

  static Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Location").orElse(null),
          response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record Response(int status, String contentType, String location, byte[] body) {

    JsonNode json() {
      return JSON.readTree(body);
    }

    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + text();
    }
  }
}
