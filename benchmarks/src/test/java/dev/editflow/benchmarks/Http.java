package dev.editflow.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one HTTP client of the benchmark JVM (HTTP/1.1 on loopback, like a frontend's backend). */
final class Http {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Http() {}

  record Response(int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  static Response get(URI uri) {
    return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
  }

  static Response send(String method, URI uri, Object body) {
    return send(
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build());
  }

  static Response send(HttpRequest request) {
    try {
      HttpResponse<String> response =
          CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Response expect(Response response, int... statuses) {
    for (int status : statuses) {
      if (response.status() == status) {
        return response;
      }
    }
    throw new IllegalStateException(
        "Unexpected answer " + response.status() + ": " + response.body());
  }
}
