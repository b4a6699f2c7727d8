package dev.editflow.gateway.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code editflow.gateway.load.max-in-flight} requests are handled at once; the next is
 * answered {@code 503 OVERLOADED} with {@code Retry-After} without waiting. With virtual threads
 * Tomcat would otherwise take on every request it accepts until the heap is gone. The operations
 * endpoints ({@code /actuator/**}) are exempt, so that liveness and metrics keep answering while
 * the API sheds. An event stream holds its permit only while it is being opened: afterwards it is
 * asynchronous and counted by the stream limits instead.
 */
class InFlightLimit extends OncePerRequestFilter {

  private final Semaphore permits;
  private final int limit;
  private final LoadShedding shedding;
  private final Problems problems;

  InFlightLimit(int limit, LoadShedding shedding, Problems problems) {
    this.permits = new Semaphore(limit);
    this.limit = limit;
    this.shedding = shedding;
    this.problems = problems;
  }

  int inFlight() {
    return limit - permits.availablePermits();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getRequestURI().startsWith("/actuator/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!permits.tryAcquire()) {
      shedding.shed(LoadShedding.Reason.IN_FLIGHT);
      response.setHeader(
          HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, shedding.retryAfter().toSeconds())));
      problems.write(
          request,
          response,
          ApiError.OVERLOADED,
          "This instance is handling " + limit + " requests; retry shortly");
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      permits.release();
    }
  }
}
