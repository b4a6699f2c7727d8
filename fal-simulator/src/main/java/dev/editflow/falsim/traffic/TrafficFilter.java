package dev.editflow.falsim.traffic;

import dev.editflow.falsim.Dice;
import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of every simulated endpoint: injects the configured HTTP faults (like fal's ingress
 * would), checks the API key, and counts every answer by endpoint and status.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TrafficFilter extends OncePerRequestFilter {

  private final LiveSettings settings;
  private final Dice dice;
  private final TrafficCounters counters;

  TrafficFilter(LiveSettings settings, Dice dice, TrafficCounters counters) {
    this.settings = settings;
    this.dice = dice;
    this.counters = counters;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Endpoint endpoint = Endpoint.classify(request.getMethod(), request.getRequestURI());
    if (endpoint == null) {
      chain.doFilter(request, response);
      return;
    }
    boolean failed = false;
    try {
      SimulatorSettings current = settings.get();
      SimulatorSettings.@Nullable EndpointFaults faults = endpoint.faults(current);
      if (faults != null && injectFault(faults, response)) {
        return;
      }
      if (endpoint.authenticated && rejectKey(request, response, current.requiredKey())) {
        return;
      }
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      failed = true;
      throw e;
    } finally {
      counters.record(endpoint, failed ? 500 : response.getStatus());
    }
  }

  private boolean injectFault(SimulatorSettings.EndpointFaults faults, HttpServletResponse response)
      throws IOException {
    if (dice.chance(faults.http429())) {
      response.setHeader(
          "Retry-After", Long.toString(Math.max(0, faults.retryAfter().toSeconds())));
      writeJson(response, 429, "{\"detail\":\"Too many requests\"}");
      return true;
    }
    if (dice.chance(faults.http500())) {
      writeJson(response, 500, "{\"detail\":\"Internal Server Error\"}");
      return true;
    }
    for (int code : new int[] {502, 503, 504}) {
      double p =
          switch (code) {
            case 502 -> faults.http502();
            case 503 -> faults.http503();
            default -> faults.http504();
          };
      if (dice.chance(p)) {
        writeIngressError(response, code);
        return true;
      }
    }
    return false;
  }

  private static boolean rejectKey(
      HttpServletRequest request,
      HttpServletResponse response,
      @org.jspecify.annotations.Nullable String requiredKey)
      throws IOException {
    String header = request.getHeader("Authorization");
    if (header == null || header.isBlank()) {
      writeJson(response, 401, "{\"detail\":\"Missing Authorization header\"}");
      return true;
    }
    String key = header.regionMatches(true, 0, "Key ", 0, 4) ? header.substring(4).trim() : "";
    if (key.isEmpty()
        || (requiredKey != null && !requiredKey.isBlank() && !requiredKey.equals(key))) {
      writeJson(response, 401, "{\"detail\":\"No user found for Authorization header\"}");
      return true;
    }
    return false;
  }

  private static void writeJson(HttpServletResponse response, int status, String body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  // Ingress errors come from nginx, without x-fal-request-id (clients use that to tell them apart).
  private static void writeIngressError(HttpServletResponse response, int status)
      throws IOException {
    String reason =
        switch (status) {
          case 502 -> "Bad Gateway";
          case 503 -> "Service Temporarily Unavailable";
          default -> "Gateway Time-out";
        };
    response.setStatus(status);
    response.setContentType("text/html");
    String title = status + " " + reason;
    response
        .getOutputStream()
        .write(
            ("<html>\r\n<head><title>"
                    + title
                    + "</title></head>\r\n<body>\r\n<center><h1>"
                    + title
                    + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
                .getBytes(StandardCharsets.UTF_8));
  }
}
