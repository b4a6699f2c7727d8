package dev.editflow.gateway.system;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's last word on a failed request, in place of its HTML error page: a request line, path or
 * header Tomcat refuses (an encoded slash or NUL, a character not allowed in a URL) never reaches a
 * servlet, so only the host's error report valve can answer it.
 */
class ProblemReportValve extends ErrorReportValve {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemReportValve.class);

  private final Problems problems;

  ProblemReportValve(Problems problems) {
    this.problems = problems;
  }

  @Override
  protected void report(Request request, Response response, @Nullable Throwable throwable) {
    int status = response.getStatus();
    // The same guards as Tomcat's own report: an error, with nothing written yet, reported once.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    ApiError error = ProblemErrorController.forStatus(status);
    try {
      response.resetBuffer(true);
      SecurityHeaders.addTo(response);
      problems.write(request, response, error, error.title());
      response.finishResponse();
    } catch (IOException | RuntimeException e) {
      LOG.debug("Could not answer a rejected request with a problem", e);
    }
  }
}
