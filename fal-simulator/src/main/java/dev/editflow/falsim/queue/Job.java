package dev.editflow.falsim.queue;

import dev.editflow.falsim.model.SimulatedModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One submitted request. Identity and input are immutable; the lifecycle fields change only through
 * {@link Jobs}, under this object's monitor.
 */
public final class Job {

  private final String id;
  private final String modelId;
  private final String ownerApp;
  private final SimulatedModel model;
  private final Map<String, Object> input;
  private final @Nullable String webhookUrl;
  private final SubmitOptions options;
  private final String baseUrl;
  private final String mediaBaseUrl;
  private final Instant submittedAt;
  final long seq;
  final long generation;

  private JobState state = JobState.IN_QUEUE;
  private int queuePosition;
  private Instant readyAt;
  private @Nullable Instant startedAt;
  private @Nullable Instant completedAt;
  private @Nullable Instant resultExpiresAt;
  private boolean cancelRequested;
  private boolean stuck;
  private int attempts;
  private @Nullable JobOutcome outcome;
  private final List<Map<String, Object>> logs = new ArrayList<>();
  private final AtomicInteger statusReads = new AtomicInteger();
  private final AtomicInteger resultReads = new AtomicInteger();

  Job(
      String id,
      String modelId,
      SimulatedModel model,
      Map<String, Object> input,
      @Nullable String webhookUrl,
      SubmitOptions options,
      String baseUrl,
      String mediaBaseUrl,
      Instant submittedAt,
      Instant readyAt,
      long seq,
      long generation) {
    this.id = id;
    this.modelId = modelId;
    String[] parts = modelId.split("/");
    this.ownerApp = parts[0] + "/" + parts[1];
    this.model = model;
    this.input = input;
    this.webhookUrl = webhookUrl;
    this.options = options;
    this.baseUrl = baseUrl;
    this.mediaBaseUrl = mediaBaseUrl;
    this.submittedAt = submittedAt;
    this.readyAt = readyAt;
    this.seq = seq;
    this.generation = generation;
  }

  /** Status calls (polled or streamed) that found this request. */
  public int statusReads() {
    return statusReads.get();
  }

  /** Result calls that found this request. */
  public int resultReads() {
    return resultReads.get();
  }

  void statusRead() {
    statusReads.incrementAndGet();
  }

  void resultRead() {
    resultReads.incrementAndGet();
  }

  public String id() {
    return id;
  }

  public String modelId() {
    return modelId;
  }

  /** {@code owner/app}: the path prefix of status, result and cancel URLs. */
  public String ownerApp() {
    return ownerApp;
  }

  SimulatedModel model() {
    return model;
  }

  Map<String, Object> input() {
    return input;
  }

  public @Nullable String webhookUrl() {
    return webhookUrl;
  }

  /** Whether the submit asked for {@code X-Fal-Queue-Priority: low}. */
  public boolean lowPriority() {
    return options().lowPriority();
  }

  SubmitOptions options() {
    return options;
  }

  String baseUrl() {
    return baseUrl;
  }

  String mediaBaseUrl() {
    return mediaBaseUrl;
  }

  public Instant submittedAt() {
    return submittedAt;
  }

  public String prompt() {
    return input.get("prompt") instanceof String s ? s : "";
  }

  public String responseUrl() {
    return baseUrl + "/" + ownerApp + "/requests/" + id;
  }

  public String statusUrl() {
    return responseUrl() + "/status";
  }

  public String cancelUrl() {
    return responseUrl() + "/cancel";
  }

  public synchronized JobState state() {
    return state;
  }

  synchronized int queuePosition() {
    return queuePosition;
  }

  synchronized void queuePosition(int position) {
    queuePosition = position;
  }

  synchronized Instant readyAt() {
    return readyAt;
  }

  synchronized @Nullable Instant startDeadline() {
    return options.startTimeout() == null ? null : submittedAt.plus(options.startTimeout());
  }

  public synchronized @Nullable Instant startedAt() {
    return startedAt;
  }

  public synchronized @Nullable Instant completedAt() {
    return completedAt;
  }

  synchronized @Nullable Instant resultExpiresAt() {
    return resultExpiresAt;
  }

  public synchronized boolean cancelRequested() {
    return cancelRequested;
  }

  synchronized boolean stuck() {
    return stuck;
  }

  synchronized int attempts() {
    return attempts;
  }

  public synchronized @Nullable JobOutcome outcome() {
    return outcome;
  }

  synchronized List<Map<String, Object>> logs() {
    return List.copyOf(logs);
  }

  /** Seconds between start and completion, null unless completed after starting. */
  synchronized @Nullable Double inferenceSeconds() {
    return startedAt == null || completedAt == null
        ? null
        : Duration.between(startedAt, completedAt).toMillis() / 1000.0;
  }

  synchronized void log(String message) {
    var entry = new LinkedHashMap<String, Object>();
    entry.put("message", message);
    entry.put("level", "INFO");
    entry.put("source", "USER");
    entry.put("timestamp", Instant.now().toString());
    logs.add(entry);
  }

  synchronized void start(Instant now) {
    state = JobState.IN_PROGRESS;
    startedAt = now;
    attempts++;
  }

  synchronized void markStuck() {
    stuck = true;
  }

  synchronized void requestCancel() {
    cancelRequested = true;
  }

  synchronized void requeue(Instant readyAt) {
    state = JobState.IN_QUEUE;
    this.readyAt = readyAt;
  }

  synchronized void complete(JobOutcome outcome, Instant now, Instant resultExpiresAt) {
    this.state = JobState.COMPLETED;
    this.outcome = outcome;
    this.completedAt = now;
    this.resultExpiresAt = resultExpiresAt;
  }
}
