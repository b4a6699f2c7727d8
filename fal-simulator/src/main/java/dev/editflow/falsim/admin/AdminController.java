package dev.editflow.falsim.admin;

import dev.editflow.falsim.Dice;
import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorReset;
import dev.editflow.falsim.SimulatorSettings;
import dev.editflow.falsim.media.MediaStore;
import dev.editflow.falsim.queue.Job;
import dev.editflow.falsim.queue.JobOutcome;
import dev.editflow.falsim.queue.Jobs;
import dev.editflow.falsim.traffic.TrafficCounters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

/** The admin API under {@code /_sim}: knobs, reset, counters and submissions. */
@RestController
@RequestMapping("/_sim")
class AdminController {

  private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);

  private final LiveSettings settings;
  private final Dice dice;
  private final Jobs jobs;
  private final TrafficCounters counters;
  private final MediaStore media;
  private final ApplicationEventPublisher events;
  private final SettingsJson json = new SettingsJson();

  AdminController(
      LiveSettings settings,
      Dice dice,
      Jobs jobs,
      TrafficCounters counters,
      MediaStore media,
      ApplicationEventPublisher events) {
    this.settings = settings;
    this.dice = dice;
    this.jobs = jobs;
    this.counters = counters;
    this.media = media;
    this.events = events;
  }

  @GetMapping(path = "/settings", produces = MediaType.APPLICATION_JSON_VALUE)
  String settings() {
    return json.write(settings.get());
  }

  /** Partial update: only the fields present change; nested objects are merged. */
  @PutMapping(path = "/settings", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> update(@RequestBody String patch) {
    SimulatorSettings before = settings.get();
    SimulatorSettings after;
    try {
      after = json.merge(before, patch);
    } catch (JacksonException | IllegalArgumentException e) {
      return ResponseEntity.badRequest()
          .contentType(MediaType.APPLICATION_JSON)
          .body(
              "{\"detail\":"
                  + quote(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()))
                  + "}");
    }
    settings.replace(after);
    if (!Objects.equals(before.seed(), after.seed())) {
      dice.reseed(after.seed());
    }
    LOG.info("Simulator settings changed by the admin API: {}.", patch.replaceAll("\\s+", " "));
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.write(after));
  }

  /** Clears jobs, media, counters and webhook log, and restores the start-up settings. */
  @PostMapping("/reset")
  Map<String, Object> reset() {
    settings.restore();
    dice.reseed(settings.get().seed());
    events.publishEvent(new SimulatorReset());
    LOG.info("Simulator was reset.");
    return Map.of("status", "OK");
  }

  @GetMapping("/counters")
  Map<String, Map<String, Long>> counters() {
    return counters.snapshot();
  }

  @GetMapping("/stats")
  Map<String, Object> stats() {
    return Map.of(
        "jobs", jobs.all().size(),
        "in_progress", jobs.inProgressCount(),
        "media_files", media.count());
  }

  /** Every submission still held, oldest first, optionally filtered. */
  @GetMapping("/requests")
  List<Map<String, Object>> requests(
      @RequestParam(required = false) @Nullable String prompt,
      @RequestParam(required = false) @Nullable String model,
      @RequestParam(required = false) @Nullable String state) {
    return jobs.all().stream()
        .filter(job -> prompt == null || prompt.equals(job.prompt()))
        .filter(job -> model == null || model.equals(job.modelId()))
        .filter(job -> state == null || state.equalsIgnoreCase(job.state().name()))
        .map(AdminController::describe)
        .toList();
  }

  private static Map<String, Object> describe(Job job) {
    JobOutcome outcome = job.outcome();
    var row = new LinkedHashMap<String, Object>();
    row.put("request_id", job.id());
    row.put("model", job.modelId());
    row.put("prompt", job.prompt());
    row.put("webhook", job.webhookUrl());
    row.put("priority", job.lowPriority() ? "low" : "normal");
    row.put("state", job.state().name());
    row.put("submitted_at", job.submittedAt().toString());
    row.put("started_at", text(job.startedAt()));
    row.put("completed_at", text(job.completedAt()));
    row.put(
        "cancelled",
        job.cancelRequested()
            || (outcome != null && "request_cancelled".equals(outcome.errorType())));
    row.put("result_status", outcome == null ? null : outcome.httpStatus());
    row.put("error_type", outcome == null ? null : outcome.errorType());
    row.put("status_reads", job.statusReads());
    row.put("result_reads", job.resultReads());
    return row;
  }

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
