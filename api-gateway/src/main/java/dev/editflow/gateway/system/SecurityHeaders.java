package dev.editflow.gateway.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The headers every response carries, set before anything else runs so that answers given outside
 * Spring Security (the body limit, Tomcat's own rejections) carry them too. Spring Security keeps
 * what is set here and adds its content security policy.
 */
class SecurityHeaders extends OncePerRequestFilter {

  static void addTo(HttpServletResponse response) {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    // Every answer is about one caller's jobs and uploads: no shared or private cache may keep it.
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    addTo(response);
    chain.doFilter(request, response);
  }
}
