package dev.editflow.falsim.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/** The status object of FAL-API.md 1.5, shared by the status call and the status stream. */
final class StatusView {

  private StatusView() {}

  static Map<String, Object> of(Job job, boolean withLogs) {
    JobState state = job.state();
    var status = new LinkedHashMap<String, Object>();
    status.put("status", state.name());
    status.put("request_id", job.id());
    status.put("response_url", job.responseUrl());
    status.put("status_url", job.statusUrl());
    status.put("cancel_url", job.cancelUrl());
    if (state == JobState.IN_QUEUE) {
      status.put("queue_position", job.queuePosition());
    }
    status.put("logs", withLogs && state != JobState.IN_QUEUE ? job.logs() : null);
    var metrics = new LinkedHashMap<String, Object>();
    if (state == JobState.COMPLETED) {
      Double seconds = job.inferenceSeconds();
      if (seconds != null) {
        metrics.put("inference_time", seconds);
      }
      JobOutcome outcome = job.outcome();
      if (outcome != null && outcome.failed()) {
        status.put("error", outcome.error());
        status.put("error_type", outcome.errorType());
      }
    }
    status.put("metrics", metrics);
    return status;
  }
}
