package dev.editflow.falsim.queue;

import dev.editflow.falsim.Dice;
import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorReset;
import dev.editflow.falsim.SimulatorSettings;
import dev.editflow.falsim.model.ModelRegistry;
import dev.editflow.falsim.model.SimulatedModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queue: every job by id, the waiting lines (normal before low priority), the account
 * concurrency limit and the single scheduler thread that moves jobs along. No thread is held per
 * job; processing runs on virtual threads and completions are scheduled.
 */
@Component
public class Jobs implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
  private static final long LARGE_RESULT_BYTES = 10 * 1024;

  private final LiveSettings settings;
  private final Dice dice;
  private final JobProcessor processor;
  private final List<JobObserver> observers;
  private final JsonMapper json;
  private final RequestJournal journal;

  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final List<Job> waitingNormal = new ArrayList<>();
  private final List<Job> waitingLow = new ArrayList<>();
  private int inProgress;
  private long nextSeq;
  private long generation;

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("falsim-queue").daemon().factory());
  private final AtomicBoolean pumpQueued = new AtomicBoolean();

  Jobs(
      LiveSettings settings,
      Dice dice,
      JobProcessor processor,
      List<JobObserver> observers,
      JsonMapper json,
      RequestJournal journal,
      ModelRegistry models) {
    this.settings = settings;
    this.dice = dice;
    this.processor = processor;
    this.observers = observers;
    this.json = json;
    this.journal = journal;
    restore(models);
    scheduler.scheduleWithFixedDelay(this::pumpSafely, 20, 20, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::sweepExpiredResults, 30, 30, TimeUnit.SECONDS);
  }

  /** Puts a new job at the end of its waiting line, or answers null when the lines are full. */
  @Nullable Job submit(
      String modelId,
      SimulatedModel model,
      Map<String, Object> input,
      @Nullable String webhookUrl,
      SubmitOptions options,
      String baseUrl,
      String mediaBaseUrl) {
    SimulatorSettings.Timing timing = settings.get().timing();
    Instant now = Instant.now();
    Instant readyAt = now.plus(dice.between(timing.queueWaitMin(), timing.queueWaitMax()));
    Job job;
    synchronized (lock) {
      if (waitingNormal.size() + waitingLow.size() >= settings.get().maxQueued()) {
        return null;
      }
      job =
          new Job(
              UUID.randomUUID().toString(),
              modelId,
              model,
              input,
              webhookUrl,
              options,
              baseUrl,
              mediaBaseUrl,
              now,
              readyAt,
              nextSeq++,
              generation);
      jobs.put(job.id(), job);
      (options.lowPriority() ? waitingLow : waitingNormal).add(job);
      recomputePositions();
    }
    journal.submitted(job);
    LOG.debug("Request {} for {} is queued.", job.id(), modelId);
    requestPump();
    return job;
  }

  /**
   * Takes back the requests an earlier run kept in the state directory: finished ones with their
   * results, unfinished ones back in their waiting line, processed again from the start as if their
   * runner had restarted.
   */
  private void restore(ModelRegistry models) {
    Instant now = Instant.now();
    synchronized (lock) {
      for (RequestJournal.Entry kept : journal.restore(now)) {
        SimulatedModel model = models.find(kept.modelId()).orElse(null);
        if (model == null) {
          continue;
        }
        Job job =
            new Job(
                kept.id(),
                kept.modelId(),
                model,
                kept.input(),
                kept.webhookUrl(),
                kept.options(),
                kept.baseUrl(),
                kept.mediaBaseUrl(),
                kept.submittedAt(),
                now,
                nextSeq++,
                generation);
        jobs.put(job.id(), job);
        if (kept.outcome() != null && kept.completedAt() != null) {
          job.complete(
              kept.outcome(),
              kept.completedAt(),
              kept.resultExpiresAt() == null ? now : kept.resultExpiresAt());
        } else {
          job.log("The simulator restarted; the request is processed again.");
          (kept.options().lowPriority() ? waitingLow : waitingNormal).add(job);
        }
      }
      recomputePositions();
    }
  }

  /** The job, unless unknown or past its result retention. */
  public Optional<Job> find(String id) {
    Job job = jobs.get(id);
    Instant expires = job == null ? null : job.resultExpiresAt();
    if (expires != null && Instant.now().isAfter(expires)) {
      jobs.remove(id, job);
      return Optional.empty();
    }
    return Optional.ofNullable(job);
  }

  /** Every job still held, oldest first. */
  public List<Job> all() {
    return jobs.values().stream().sorted(Comparator.comparingLong(j -> j.seq)).toList();
  }

  public int inProgressCount() {
    synchronized (lock) {
      return inProgress;
    }
  }

  /** Cancels per FAL-API.md 2 and answers with the documented JSON status. */
  CancelResult cancel(Job job) {
    boolean completeNow = false;
    CancelResult result;
    synchronized (lock) {
      switch (job.state()) {
        case IN_QUEUE -> {
          waitingNormal.remove(job);
          waitingLow.remove(job);
          recomputePositions();
          completeNow = true;
          result = CancelResult.OK;
        }
        case IN_PROGRESS -> {
          job.requestCancel();
          job.log("Cancellation requested.");
          completeNow = !settings.get().cancel().inProgressCompletes();
          result = CancelResult.CANCELLATION_REQUESTED;
        }
        default -> result = CancelResult.ALREADY_COMPLETED;
      }
    }
    if (completeNow) {
      complete(job, JobOutcome.cancelled());
    }
    LOG.info("Request {} cancel answered {}.", job.id(), result);
    return result;
  }

  @EventListener
  void on(SimulatorReset reset) {
    synchronized (lock) {
      generation++;
      waitingNormal.clear();
      waitingLow.clear();
      inProgress = 0;
      jobs.clear();
      journal.clear();
    }
  }

  @Override
  public void destroy() {
    scheduler.shutdownNow();
  }

  private void requestPump() {
    if (pumpQueued.compareAndSet(false, true)) {
      scheduler.execute(this::pumpSafely);
    }
  }

  private void pumpSafely() {
    try {
      pump();
    } catch (RuntimeException e) {
      LOG.error("Queue dispatch failed; it is retried on the next tick.", e);
    }
  }

  private void pump() {
    pumpQueued.set(false);
    int limit = settings.get().concurrencyLimit();
    Instant now = Instant.now();
    var started = new ArrayList<Job>();
    var timedOut = new ArrayList<Job>();
    synchronized (lock) {
      boolean changed = removeTimedOut(waitingNormal, now, timedOut);
      changed |= removeTimedOut(waitingLow, now, timedOut);
      while (inProgress < limit) {
        Job next = takeReady(waitingNormal, now);
        if (next == null) {
          next = takeReady(waitingLow, now);
        }
        if (next == null) {
          break;
        }
        inProgress++;
        next.start(now);
        started.add(next);
        changed = true;
      }
      if (changed) {
        recomputePositions();
      }
    }
    timedOut.forEach(job -> complete(job, JobOutcome.startTimeout()));
    started.forEach(this::begin);
  }

  private void begin(Job job) {
    job.log("Request " + job.id() + " started processing (attempt " + job.attempts() + ").");
    notifyObservers(job);
    SimulatorSettings current = settings.get();
    if (dice.chance(current.faults().stuck())) {
      job.markStuck();
      LOG.info("Request {} is stuck IN_PROGRESS on purpose.", job.id());
      return;
    }
    Duration processing =
        dice.between(current.timing().processingMin(), current.timing().processingMax());
    Instant finishAt = job.startedAt().plus(processing);
    processor
        .process(job, current)
        .whenComplete(
            (outcome, failure) -> {
              JobOutcome settled =
                  failure == null
                      ? outcome
                      : JobOutcome.requestError(
                          500, "Internal server error", "internal_error", Map.of());
              if (failure != null) {
                LOG.error("Request {} failed inside the simulator.", job.id(), failure);
              }
              long delay = Math.max(0, Duration.between(Instant.now(), finishAt).toMillis());
              scheduler.schedule(() -> settle(job, settled), delay, TimeUnit.MILLISECONDS);
            });
  }

  private void settle(Job job, JobOutcome outcome) {
    SimulatorSettings current = settings.get();
    if (outcome.runnerFailure()
        && !job.options().noRetry()
        && job.attempts() < current.faults().runnerAttempts()
        && job.state() == JobState.IN_PROGRESS) {
      requeue(job);
      return;
    }
    complete(job, outcome);
  }

  private void requeue(Job job) {
    synchronized (lock) {
      if (job.generation != generation || job.state() != JobState.IN_PROGRESS) {
        return;
      }
      inProgress--;
      job.requeue(Instant.now());
      List<Job> line = job.options().lowPriority() ? waitingLow : waitingNormal;
      int at = 0;
      while (at < line.size() && line.get(at).seq < job.seq) {
        at++;
      }
      line.add(at, job);
      recomputePositions();
    }
    job.log("Runner failed; the request was re-queued.");
    LOG.info("Request {} is re-queued after a runner failure.", job.id());
    notifyObservers(job);
    requestPump();
  }

  /** Completes a job once; later outcomes (e.g. after an honoured cancel) are ignored. */
  void complete(Job job, JobOutcome outcome) {
    Instant now = Instant.now();
    synchronized (lock) {
      if (job.state() == JobState.COMPLETED) {
        return;
      }
      if (job.state() == JobState.IN_PROGRESS && job.generation == generation) {
        inProgress--;
      }
      if (job.state() == JobState.IN_QUEUE
          && (waitingNormal.remove(job) | waitingLow.remove(job))) {
        recomputePositions();
      }
      job.complete(outcome, now, now.plus(retention(job, outcome)));
    }
    journal.completed(job);
    job.log(
        outcome.failed()
            ? "Request failed: " + outcome.error()
            : "Request " + job.id() + " completed.");
    LOG.info(
        "Request {} completed with HTTP {}{}.",
        job.id(),
        outcome.httpStatus(),
        outcome.errorType() == null ? "" : " (" + outcome.errorType() + ")");
    notifyObservers(job);
    requestPump();
  }

  private Duration retention(Job job, JobOutcome outcome) {
    SimulatorSettings.Retention retention = settings.get().retention();
    if (job.options().storeIo()) {
      return retention.result();
    }
    return json.writeValueAsBytes(outcome.body()).length >= LARGE_RESULT_BYTES
        ? retention.largeWithoutStoreIo()
        : retention.withoutStoreIo();
  }

  private void sweepExpiredResults() {
    Instant now = Instant.now();
    jobs.values()
        .removeIf(
            job -> {
              Instant expires = job.resultExpiresAt();
              return expires != null && now.isAfter(expires);
            });
  }

  private void notifyObservers(Job job) {
    for (JobObserver observer : observers) {
      try {
        observer.changed(job);
      } catch (RuntimeException e) {
        LOG.warn("Observer of request {} failed: {}.", job.id(), e.toString());
      }
    }
  }

  private static boolean removeTimedOut(List<Job> line, Instant now, Collection<Job> timedOut) {
    return line.removeIf(
        job -> {
          Instant deadline = job.startDeadline();
          if (deadline != null && now.isAfter(deadline)) {
            timedOut.add(job);
            return true;
          }
          return false;
        });
  }

  private static @Nullable Job takeReady(List<Job> line, Instant now) {
    for (int i = 0; i < line.size(); i++) {
      if (!line.get(i).readyAt().isAfter(now)) {
        return line.remove(i);
      }
    }
    return null;
  }

  private void recomputePositions() {
    int position = 0;
    for (Job job : waitingNormal) {
      job.queuePosition(position++);
    }
    for (Job job : waitingLow) {
      job.queuePosition(position++);
    }
  }
}
