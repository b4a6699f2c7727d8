package dev.editflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The fal key is used (the simulator accepts nothing else) but never shown: not in the worker's
 * output, even at TRACE level through retries and failures, and not on any actuator endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
    properties = {
      "logging.level.dev.editflow=TRACE",
      "logging.level.org.springframework.boot.context=DEBUG",
      "management.endpoints.web.exposure.include=*"
    })
class FalKeySecrecyIT extends WorkerIntegrationTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Test
  void neverShowsTheFalKeyInLogsOrOnActuator(CapturedOutput output) throws Exception {
    EditJobId id;
    try (var refusingHalf =
        FalSimulator.change("{\"faults\":{\"status\":{\"http429\":0.5,\"retry-after\":\"1s\"}}}")) {
      id = createJob(prompt("secret keeping"), Duration.ofMinutes(5));
      awaitStatus(id, JobStatus.ARCHIVING, Duration.ofSeconds(60));
    }

    for (String endpoint :
        new String[] {
          "",
          "/health",
          "/health/readiness",
          "/info",
          "/prometheus",
          "/env",
          "/configprops",
          "/beans",
          "/metrics"
        }) {
      HttpResponse<String> response = get("/actuator" + endpoint);
      // An error page would pass the body check too: each endpoint must really have answered.
      assertThat(response.statusCode()).as("/actuator" + endpoint).isEqualTo(200);
      assertThat(response.body()).as("/actuator" + endpoint).doesNotContain(FalSimulator.KEY);
    }
    assertThat(output.getAll())
        .as("the captured output covers the job")
        .contains(id.value())
        .doesNotContain(FalSimulator.KEY)
        .doesNotContain(FalSimulator.KEY.substring(FalSimulator.KEY.indexOf(':') + 1));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
