package dev.editflow.benchmarks;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One user of the v1 API, logged in through the local profile's dev tokens, with one uploaded input
 * image that all of the user's jobs edit (an upload may be used by many jobs).
 */
final class ApiUser {

  final String name;
  private final URI gateway;
  private final String token;
  private final String uploadId;

  private ApiUser(String name, URI gateway, String token, String uploadId) {
    this.name = name;
    this.gateway = gateway;
    this.token = token;
    this.uploadId = uploadId;
  }

  /** Logs {@code name} in and uploads {@code image} (a PNG) the way a browser does. */
  static ApiUser login(URI gateway, String name, byte[] image) {
    String token =
        Http.expect(
                Http.send("POST", gateway.resolve("/v1/dev/tokens"), Map.of("user", name)),
                200,
                201)
            .json()
            .get("token")
            .asString();
    var created =
        Http.expect(
                Http.send(
                    HttpRequest.newBuilder(gateway.resolve("/v1/uploads"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                Http.JSON.writeValueAsString(
                                    Map.of(
                                        "contentType",
                                        "image/png",
                                        "contentLength",
                                        image.length))))
                        .build()),
                201)
            .json();
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(created.get("url").asString()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(image));
    created
        .path("headers")
        .properties()
        .forEach(
            header -> {
              String key = header.getKey();
              if (!key.equalsIgnoreCase("content-length") && !key.equalsIgnoreCase("host")) {
                put.header(key, header.getValue().asString());
              }
            });
    Http.expect(Http.send(put.build()), 200);
    return new ApiUser(name, gateway, token, created.get("uploadId").asString());
  }

  /** {@code POST /v1/edits} for the user's upload, ready to send. */
  HttpRequest createEdit(String prompt) {
    return HttpRequest.newBuilder(gateway.resolve("/v1/edits"))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                Http.JSON.writeValueAsString(
                    Map.of("prompt", prompt, "inputs", List.of(Map.of("uploadId", uploadId))))))
        .build();
  }

  /** {@code GET /v1/edits/{id}/events}, the server-sent status stream. */
  HttpRequest events(String jobId) {
    return HttpRequest.newBuilder(gateway.resolve("/v1/edits/" + jobId + "/events"))
        .timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "text/event-stream")
        .GET()
        .build();
  }
}
