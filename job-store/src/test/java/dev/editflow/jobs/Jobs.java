package dev.editflow.jobs;

import dev.editflow.model.EditJobId;
import dev.editflow.model.FalRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Fixtures for job-store tests. */
final class Jobs {

  private Jobs() {}

  static NewEditJob aNewJob(String owner) {
    return new NewEditJob(
        EditJobId.generate(),
        owner,
        "make the sky purple",
        "fal-ai/nano-banana-pro/edit",
        new EditParameters(1, "1:1", "1K", "png", null),
        List.of(
            EditInput.upload(
                "up_01JD3Q7ZK2M8T6X4V9W0B5N1C3", "uploads/up_01JD3Q7ZK2M8T6X4V9W0B5N1C3")),
        null,
        null,
        null,
        new BigDecimal("0.15"),
        Instant.now().plus(Duration.ofMinutes(10)));
  }

  static FalRequest aFalRequest() {
    return new FalRequest(
        "req-1",
        "http://fal/requests/req-1/status",
        "http://fal/requests/req-1",
        "http://fal/requests/req-1/cancel");
  }
}
