package dev.editflow.falsim.queue;

import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorSettings;
import dev.editflow.falsim.model.FieldError;
import dev.editflow.falsim.model.ModelRegistry;
import dev.editflow.falsim.model.SimulatedModel;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The queue API on the same paths as queue.fal.run (FAL-API.md 1.3). */
@RestController
class QueueController {

  static final String REQUEST_ID_HEADER = "x-fal-request-id";

  private final Jobs jobs;
  private final ModelRegistry models;
  private final StatusStreams streams;
  private final LiveSettings settings;
  private final JsonMapper json;

  QueueController(
      Jobs jobs,
      ModelRegistry models,
      StatusStreams streams,
      LiveSettings settings,
      JsonMapper json) {
    this.jobs = jobs;
    this.models = models;
    this.streams = streams;
    this.settings = settings;
    this.json = json;
  }

  @PostMapping("/{owner}/{app}/{*path}")
  ResponseEntity<Map<String, Object>> submit(
      @PathVariable String owner,
      @PathVariable String app,
      @PathVariable String path,
      @RequestParam(name = "fal_webhook", required = false) @Nullable String webhook,
      @RequestBody(required = false) byte @Nullable [] body,
      HttpServletRequest request) {
    String modelId = owner + "/" + app + (path.isEmpty() || "/".equals(path) ? "" : path);
    SimulatedModel model = models.find(modelId).orElse(null);
    if (model == null) {
      return ResponseEntity.status(404)
          .body(Map.of("detail", "Application '" + modelId + "' not found"));
    }
    Map<String, Object> input;
    try {
      input = parseObject(body);
    } catch (JacksonException | ClassCastException e) {
      return ResponseEntity.status(422)
          .body(
              Map.of(
                  "detail",
                  List.of(
                      new FieldError(List.of("body"), "Invalid JSON body", "json_invalid", null)
                          .toJson())));
    }
    SimulatorSettings current = settings.get();
    if (current.validation() == SimulatorSettings.ValidationMode.SUBMIT) {
      List<FieldError> errors = model.validate(input);
      if (!errors.isEmpty()) {
        return ResponseEntity.status(422)
            .body(Map.of("detail", errors.stream().map(FieldError::toJson).toList()));
      }
    }
    String baseUrl = baseUrl(current.publicBaseUrl(), request);
    String mediaBaseUrl = baseUrl(current.mediaBaseUrl(), request);
    if (current.mediaBaseUrl() == null || current.mediaBaseUrl().isBlank()) {
      mediaBaseUrl = baseUrl;
    }
    Job job =
        jobs.submit(
            modelId,
            model,
            input,
            webhook == null || webhook.isBlank() ? null : webhook,
            SubmitOptions.from(request, json),
            baseUrl,
            mediaBaseUrl);
    if (job == null) {
      return ResponseEntity.status(429)
          .header(HttpHeaders.RETRY_AFTER, "1")
          .body(
              Map.of(
                  "detail",
                  "Too many requests waiting in the queue (" + current.maxQueued() + ")"));
    }
    var response = new LinkedHashMap<String, Object>();
    response.put("status", "IN_QUEUE");
    response.put("request_id", job.id());
    response.put("response_url", job.responseUrl());
    response.put("status_url", job.statusUrl());
    response.put("cancel_url", job.cancelUrl());
    response.put("logs", null);
    response.put("metrics", Map.of());
    response.put("queue_position", job.queuePosition());
    if (job.webhookUrl() != null) {
      response.put("gateway_request_id", job.id());
    }
    return ResponseEntity.ok().header(REQUEST_ID_HEADER, job.id()).body(response);
  }

  @GetMapping("/{owner}/{app}/requests/{id}/status")
  ResponseEntity<Map<String, Object>> status(
      @PathVariable String owner,
      @PathVariable String app,
      @PathVariable String id,
      @RequestParam(defaultValue = "0") String logs) {
    Job job = findStatusOf(owner, app, id);
    if (job == null) {
      return notFound();
    }
    Map<String, Object> status = StatusView.of(job, wantsLogs(logs));
    int code = JobState.COMPLETED.name().equals(status.get("status")) ? 200 : 202;
    return ResponseEntity.status(code).header(REQUEST_ID_HEADER, id).body(status);
  }

  @GetMapping("/{owner}/{app}/requests/{id}/status/stream")
  ResponseEntity<?> stream(
      @PathVariable String owner,
      @PathVariable String app,
      @PathVariable String id,
      @RequestParam(defaultValue = "0") String logs) {
    Job job = findStatusOf(owner, app, id);
    if (job == null) {
      return notFound();
    }
    SseEmitter emitter = streams.open(job, wantsLogs(logs));
    return ResponseEntity.ok()
        .header(REQUEST_ID_HEADER, id)
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        .header("X-Accel-Buffering", "no")
        .body(emitter);
  }

  @GetMapping("/{owner}/{app}/requests/{id}")
  ResponseEntity<Map<String, Object>> result(
      @PathVariable String owner, @PathVariable String app, @PathVariable String id) {
    Job job = find(owner, app, id);
    if (job == null) {
      return notFound();
    }
    job.resultRead();
    JobOutcome outcome = job.outcome();
    if (outcome == null) {
      // fal answers a premature result call with the request still being processed.
      return ResponseEntity.status(400)
          .header(REQUEST_ID_HEADER, id)
          .body(Map.of("detail", "Request is still in progress"));
    }
    var response = ResponseEntity.status(outcome.httpStatus()).header(REQUEST_ID_HEADER, id);
    outcome.headers().forEach(response::header);
    return response.body(outcome.body());
  }

  @PutMapping("/{owner}/{app}/requests/{id}/cancel")
  ResponseEntity<Map<String, Object>> cancel(
      @PathVariable String owner, @PathVariable String app, @PathVariable String id) {
    Job job = find(owner, app, id);
    CancelResult result = job == null ? CancelResult.NOT_FOUND : jobs.cancel(job);
    int code = settings.get().cancel().alwaysOk() ? 200 : result.httpStatus;
    return ResponseEntity.status(code)
        .header(REQUEST_ID_HEADER, id)
        .body(Map.of("status", result.name()));
  }

  /** The job whose status is asked for, counted as read. */
  private @Nullable Job findStatusOf(String owner, String app, String id) {
    Job job = find(owner, app, id);
    if (job != null) {
      job.statusRead();
    }
    return job;
  }

  private @Nullable Job find(String owner, String app, String id) {
    return jobs.find(id).filter(job -> job.ownerApp().equals(owner + "/" + app)).orElse(null);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> parseObject(byte @Nullable [] body) {
    if (body == null || body.length == 0) {
      return Map.of();
    }
    return (Map<String, Object>) json.readValue(body, Map.class);
  }

  private static ResponseEntity<Map<String, Object>> notFound() {
    return ResponseEntity.status(404).body(Map.of("detail", "Request not found"));
  }

  private static boolean wantsLogs(String logs) {
    return "1".equals(logs) || "true".equalsIgnoreCase(logs);
  }

  private static String baseUrl(@Nullable String configured, HttpServletRequest request) {
    if (configured != null && !configured.isBlank()) {
      return configured.endsWith("/")
          ? configured.substring(0, configured.length() - 1)
          : configured;
    }
    return ServletUriComponentsBuilder.fromContextPath(request)
        .replacePath(request.getContextPath())
        .replaceQuery(null)
        .build()
        .toUriString();
  }
}
