package dev.editflow.gateway.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised outside Spring MVC (by the container) are rendered as problem+json too. */
@RestController
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
    ApiError error =
        switch (HttpStatus.valueOf(status)) {
          case NOT_FOUND -> ApiError.NOT_FOUND;
          case METHOD_NOT_ALLOWED -> ApiError.METHOD_NOT_ALLOWED;
          case UNAUTHORIZED -> ApiError.UNAUTHENTICATED;
          case FORBIDDEN -> ApiError.FORBIDDEN;
          case CONTENT_TOO_LARGE -> ApiError.PAYLOAD_TOO_LARGE;
          default -> status < 500 ? ApiError.MALFORMED_REQUEST : ApiError.INTERNAL;
        };
    return problems.response(
        error, error.title(), uri == null ? "/" : uri.toString(), List.of(), null);
  }
}
