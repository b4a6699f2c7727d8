package dev.editflow.gateway.system;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC but inside the servlet context (a {@code sendError} of a filter,
 * Spring Security's firewall) are rendered as problem+json too. Requests Tomcat refuses before any
 * servlet sees them are answered by {@link ProblemReportValve}.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

  private final Problems problems;

  ProblemErrorController(Problems problems) {
    this.problems = problems;
  }

  @RequestMapping("/error")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer value ? value : 500;
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    ApiError error = forStatus(status);
    return problems.response(
        error, error.title(), uri == null ? "/" : uri.toString(), List.of(), null);
  }

  /**
   * The code of an error status the container or Spring Security's firewall set. Bodies that do not
   * parse never get here (Spring MVC answers {@code MALFORMED_REQUEST}), so any other 4xx is a
   * request line, path or header that is not acceptable HTTP.
   */
  static ApiError forStatus(int status) {
    return switch (status) {
      case 404 -> ApiError.NOT_FOUND;
      case 405 -> ApiError.METHOD_NOT_ALLOWED;
      case 401 -> ApiError.UNAUTHENTICATED;
      case 403 -> ApiError.FORBIDDEN;
      case 413 -> ApiError.PAYLOAD_TOO_LARGE;
      default -> status < 500 ? ApiError.INVALID_REQUEST : ApiError.INTERNAL;
    };
  }
}
