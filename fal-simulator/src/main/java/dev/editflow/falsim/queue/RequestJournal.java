package dev.editflow.falsim.queue;

import dev.editflow.falsim.LiveSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps every request and its result in {@code <state-dir>/requests.jsonl} (one JSON line per
 * submit and per completion), so a restarted simulator still knows the requests its clients are
 * tracking, as fal does when a client goes away and comes back. Off without a state directory. A
 * line cut short by a crash is skipped; the file is rewritten with what is still retained at each
 * start.
 */
@Component
class RequestJournal {

  private static final Logger LOG = LoggerFactory.getLogger(RequestJournal.class);

  /** A request as submitted, and its outcome once it completed. */
  record Entry(
      String id,
      String modelId,
      Map<String, Object> input,
      @Nullable String webhookUrl,
      SubmitOptions options,
      String baseUrl,
      String mediaBaseUrl,
      Instant submittedAt,
      @Nullable JobOutcome outcome,
      @Nullable Instant completedAt,
      @Nullable Instant resultExpiresAt) {}

  private final @Nullable Path file;
  private final JsonMapper json;

  RequestJournal(LiveSettings settings, JsonMapper json) throws IOException {
    String dir = settings.get().stateDir();
    this.json = json;
    if (dir == null || dir.isBlank()) {
      this.file = null;
    } else {
      this.file = Files.createDirectories(Path.of(dir)).resolve("requests.jsonl");
    }
  }

  boolean enabled() {
    return file != null;
  }

  synchronized void submitted(Job job) {
    if (file != null) {
      append(
          submittedLine(
              new Entry(
                  job.id(),
                  job.modelId(),
                  job.input(),
                  job.webhookUrl(),
                  job.options(),
                  job.baseUrl(),
                  job.mediaBaseUrl(),
                  job.submittedAt(),
                  null,
                  null,
                  null)));
    }
  }

  synchronized void completed(Job job) {
    JobOutcome outcome = job.outcome();
    if (file != null && outcome != null) {
      append(completedLine(job.id(), outcome, job.completedAt(), job.resultExpiresAt()));
    }
  }

  /** Forgets everything (the admin reset). */
  synchronized void clear() {
    if (file != null) {
      write(List.of());
    }
  }

  /**
   * The requests kept from earlier runs whose result has not expired, oldest first; the file is
   * rewritten to hold exactly these.
   */
  synchronized List<Entry> restore(Instant now) {
    if (file == null || !Files.exists(file)) {
      return List.of();
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    int skipped = 0;
    try {
      for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          apply(entries, json.readValue(raw, Map.class));
        } catch (RuntimeException e) {
          // A line cut short by a crash, or not one of ours.
          skipped++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    entries.values().removeIf(e -> e.resultExpiresAt() != null && now.isAfter(e.resultExpiresAt()));
    List<Entry> kept = new ArrayList<>(entries.values());
    write(kept);
    if (!kept.isEmpty() || skipped > 0) {
      LOG.info(
          "Restored {} request(s) from {}{}.",
          kept.size(),
          file,
          skipped == 0 ? "" : " (" + skipped + " unreadable line(s) skipped)");
    }
    return kept;
  }

  @SuppressWarnings("unchecked")
  private static void apply(Map<String, Entry> entries, Map<?, ?> line) {
    String id = (String) line.get("id");
    if ("submitted".equals(line.get("event"))) {
      entries.put(
          id,
          new Entry(
              id,
              (String) line.get("modelId"),
              (Map<String, Object>) line.get("input"),
              (String) line.get("webhookUrl"),
              new SubmitOptions(
                  Boolean.TRUE.equals(line.get("lowPriority")),
                  millis(line.get("startTimeoutMillis")),
                  Boolean.TRUE.equals(line.get("noRetry")),
                  millis(line.get("mediaLifetimeMillis")),
                  Boolean.TRUE.equals(line.get("mediaNeverExpires")),
                  !Boolean.FALSE.equals(line.get("storeIo"))),
              (String) line.get("baseUrl"),
              (String) line.get("mediaBaseUrl"),
              Instant.parse((String) line.get("submittedAt")),
              null,
              null,
              null));
    } else if ("completed".equals(line.get("event")) && entries.containsKey(id)) {
      Entry e = entries.get(id);
      JobOutcome outcome =
          new JobOutcome(
              ((Number) line.get("httpStatus")).intValue(),
              (Map<String, Object>) line.get("body"),
              (Map<String, String>) line.get("headers"),
              (String) line.get("error"),
              (String) line.get("errorType"),
              false);
      entries.put(
          id,
          new Entry(
              e.id(),
              e.modelId(),
              e.input(),
              e.webhookUrl(),
              e.options(),
              e.baseUrl(),
              e.mediaBaseUrl(),
              e.submittedAt(),
              outcome,
              Instant.parse((String) line.get("completedAt")),
              Instant.parse((String) line.get("resultExpiresAt"))));
    }
  }

  private static @Nullable Duration millis(@Nullable Object value) {
    return value instanceof Number n ? Duration.ofMillis(n.longValue()) : null;
  }

  private void write(List<Entry> kept) {
    StringBuilder text = new StringBuilder();
    for (Entry e : kept) {
      text.append(json.writeValueAsString(submittedLine(e))).append('\n');
      if (e.outcome() != null) {
        text.append(
                json.writeValueAsString(
                    completedLine(e.id(), e.outcome(), e.completedAt(), e.resultExpiresAt())))
            .append('\n');
      }
    }
    try {
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(
          temporary,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static Map<String, Object> submittedLine(Entry e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", "submitted");
    line.put("id", e.id());
    line.put("modelId", e.modelId());
    line.put("input", e.input());
    line.put("webhookUrl", e.webhookUrl());
    SubmitOptions o = e.options();
    line.put("lowPriority", o.lowPriority());
    line.put("startTimeoutMillis", o.startTimeout() == null ? null : o.startTimeout().toMillis());
    line.put("noRetry", o.noRetry());
    line.put(
        "mediaLifetimeMillis", o.mediaLifetime() == null ? null : o.mediaLifetime().toMillis());
    line.put("mediaNeverExpires", o.mediaNeverExpires());
    line.put("storeIo", o.storeIo());
    line.put("baseUrl", e.baseUrl());
    line.put("mediaBaseUrl", e.mediaBaseUrl());
    line.put("submittedAt", e.submittedAt().toString());
    return line;
  }

  private static Map<String, Object> completedLine(
      String id,
      JobOutcome outcome,
      @Nullable Instant completedAt,
      @Nullable Instant resultExpiresAt) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", "completed");
    line.put("id", id);
    line.put("httpStatus", outcome.httpStatus());
    line.put("body", outcome.body());
    line.put("headers", outcome.headers());
    line.put("error", outcome.error());
    line.put("errorType", outcome.errorType());
    line.put("completedAt", String.valueOf(completedAt));
    line.put("resultExpiresAt", String.valueOf(resultExpiresAt));
    return line;
  }

  private void append(Map<String, Object> line) {
    try {
      Files.writeString(
          file,
          json.writeValueAsString(line) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("Could not journal request {}: {}", line.get("id"), e.toString());
    }
  }
}
