package dev.editflow.gateway.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds RFC 9457 problem details with our stable {@code code}; the one place that renders errors.
 */
@Component
public class Problems {

  private final JsonMapper json;
  private final GatewayMetrics metrics;

  Problems(JsonMapper json, GatewayMetrics metrics) {
    this.json = json;
    this.metrics = metrics;
  }

  public ProblemDetail of(
      ApiError error, String detail, String path, List<Map<String, String>> fieldErrors) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(error.status(), detail);
    problem.setType(type(error));
    problem.setTitle(error.title());
    problem.setInstance(instance(path));
    problem.setProperty("code", error.name());
    if (!fieldErrors.isEmpty()) {
      problem.setProperty("errors", fieldErrors);
    }
    metrics.rejected(error);
    return problem;
  }

  public ResponseEntity<ProblemDetail> response(
      ApiError error,
      String detail,
      String path,
      List<Map<String, String>> fieldErrors,
      @Nullable Duration retryAfter) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (retryAfter != null) {
      response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
    }
    return response.body(of(error, detail, path, fieldErrors));
  }

  /** The problem type URI of {@code error}: one per code. */
  static URI type(ApiError error) {
    return URI.create(
        "https://editflow.dev/problems/" + error.name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  /** For filters and the container, which answer outside of Spring MVC. */
  public void write(
      HttpServletRequest request, HttpServletResponse response, ApiError error, String detail)
      throws IOException {
    response.setStatus(error.status().value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    if (error == ApiError.UNAUTHENTICATED) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    String path = request.getRequestURI();
    json.writeValue(
        response.getOutputStream(), of(error, detail, path == null ? "/" : path, List.of()));
  }

  /** The request path, unless the container rejected it for not being a valid URI. */
  private static URI instance(String path) {
    try {
      return URI.create(path.isEmpty() ? "/" : path);
    } catch (IllegalArgumentException notAUri) {
      return URI.create("/");
    }
  }
}
