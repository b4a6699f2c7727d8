package dev.editflow.worker.tracking;

import dev.editflow.fal.CancelOutcome;
import dev.editflow.fal.FalCallFailed;
import dev.editflow.fal.FalClient;
import dev.editflow.fal.FalResult;
import dev.editflow.fal.FalStatus;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.model.EditJobId;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import dev.editflow.worker.jobs.JobAtFal;
import dev.editflow.worker.jobs.LookSchedule;
import dev.editflow.worker.system.WorkerMetrics;
import dev.editflow.worker.system.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows every job at fal without a thread or an unacknowledged message per job. The jobs wait in
 * PostgreSQL with the time of their next look; one loop claims the due ones (safe across replicas),
 * which schedules their next look with growing, jittered pauses, and looks at each with an
 * asynchronous call bounded by a semaphore: a request still running costs no write, a finished one
 * moves the job on. A replica that dies loses nothing: its jobs come due again at their next look.
 */
@Component
class Poller implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

  private final EditJobs jobs;
  private final LookSchedule schedule;
  private final LookSchedule.Pauses pauses;
  private final FalClient fal;
  private final WorkerSettings settings;
  private final WorkerMetrics metrics;
  private final FalOutcomes outcomes;
  private final Clock clock;
  private final JobTracing tracing;
  private final Semaphore calls;
  private final Semaphore wakeUp = new Semaphore(0);
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * Jobs this replica is looking at: one whose look outlasts its pause comes due again meanwhile,
   * and is skipped rather than looked at twice. At most max-concurrent-fal-calls + one batch.
   */
  private final Set<EditJobId> looking = ConcurrentHashMap.newKeySet();

  private volatile boolean running;
  private Thread loop;

  Poller(
      EditJobs jobs,
      LookSchedule schedule,
      FalClient fal,
      WorkerSettings settings,
      WorkerMetrics metrics,
      FalOutcomes outcomes,
      Clock clock,
      JobTracing tracing) {
    this.jobs = jobs;
    this.schedule = schedule;
    this.pauses =
        new LookSchedule.Pauses(settings.pollFirst(), settings.pollFactor(), settings.pollMax());
    this.fal = fal;
    this.settings = settings;
    this.metrics = metrics;
    this.outcomes = outcomes;
    this.clock = clock;
    this.tracing = tracing;
    this.calls = new Semaphore(settings.maxConcurrentFalCalls());
  }

  /** Looks for due jobs now (a webhook arrived, or a job was just cancelled). */
  void wake() {
    if (wakeUp.availablePermits() == 0) {
      wakeUp.release();
    }
  }

  @Override
  public void start() {
    running = true;
    loop = Thread.ofPlatform().name("fal-poller").daemon(true).start(this::run);
  }

  @Override
  public void stop() {
    running = false;
    wake();
    // In-flight looks finish or are abandoned; their jobs come due again when the lease ends.
    handlers.shutdown();
    try {
      handlers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    while (running) {
      try {
        List<JobAtFal> due = schedule.claimDue(settings.pollBatch(), pauses);
        for (JobAtFal job : due) {
          if (!looking.add(job.id())) {
            continue;
          }
          calls.acquire();
          look(job)
              .whenComplete(
                  (ignored, error) -> {
                    looking.remove(job.id());
                    calls.release();
                  });
        }
        if (due.size() < settings.pollBatch()) {
          wakeUp.tryAcquire(200, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("Poll round failed (database unavailable?), retrying in 2 s: {}", e.toString());
        sleep(Duration.ofSeconds(2));
      }
    }
  }

  /**
   * One look at a job's fal request, as a span in the job's trace; every step of it, on whichever
   * thread, runs with that span and the job id in scope.
   */
  private CompletableFuture<?> look(JobAtFal job) {
    FalRequest request = job.falRequest();
    if (request == null) {
      return CompletableFuture.completedFuture(null);
    }
    String name =
        job.falCancelPending()
            ? "cancel at fal"
            : job.deadlineAt().isAfter(clock.instant()) ? "look at fal" : "time out";
    JobSpan span = tracing.start(name, job.id(), job.traceParent());
    Executor inSpan = span.wrap(handlers);
    CompletableFuture<?> look;
    if (job.falCancelPending()) {
      look =
          span.call(() -> fal.cancel(request))
              .handleAsync((outcome, error) -> cancelled(job, outcome, error), inSpan);
    } else if (!job.deadlineAt().isAfter(clock.instant())) {
      look = CompletableFuture.runAsync(() -> timeOut(job), inSpan);
    } else {
      metrics.polled();
      look =
          span.call(() -> fal.status(request))
              .thenComposeAsync(
                  status ->
                      status.isCompleted()
                          ? fal.result(request)
                              .handleAsync(
                                  (result, error) -> completed(job, status, result, error), inSpan)
                          : CompletableFuture.runAsync(() -> running(job, status), inSpan),
                  inSpan)
              .exceptionallyAsync(
                  error -> {
                    LOG.debug(
                        "Could not look at job {} at fal, looking again later: {}",
                        job.id(),
                        rootCause(error).toString());
                    return null;
                  },
                  inSpan);
    }
    return look.whenComplete(
        (ignored, error) -> {
          span.failed(error);
          span.end();
        });
  }

  private void running(JobAtFal job, FalStatus status) {
    if (status.state() == FalStatus.State.IN_PROGRESS && job.status() == JobStatus.SUBMITTED) {
      jobs.move(job.id(), new Transition.InProgress());
    }
  }

  private Void completed(JobAtFal job, FalStatus status, FalResult result, Throwable error) {
    if (error != null) {
      Throwable cause = rootCause(error);
      if (cause instanceof FalCallFailed failed && isTheModelsAnswer(status, failed)) {
        outcomes.modelFailed(job, failed.code(), failed.getMessage());
      } else {
        LOG.warn(
            "Fetching the result of job {} failed, looking again later: {}",
            job.id(),
            cause.toString());
      }
      return null;
    }
    outcomes.succeeded(
        job,
        result.generatedImages(),
        status.inferenceSeconds() == null
            ? null
            : Duration.ofMillis(Math.round(status.inferenceSeconds() * 1000)));
    return null;
  }

  /**
   * Whether a failed result call is the request's outcome rather than trouble reaching it. fal
   * answers a failed request's result with the model's error, and a 5xx there (a runner that kept
   * failing, a start timeout) is final once the status said the request completed with an error;
   * looking again would only find the same answer until the deadline.
   */
  private static boolean isTheModelsAnswer(FalStatus status, FalCallFailed failed) {
    if (failed.httpStatus() <= 0 || failed.httpStatus() == 429) {
      return false;
    }
    return failed.httpStatus() < 500 || status.error() != null || status.errorType() != null;
  }

  private void timeOut(JobAtFal job) {
    if (jobs.move(job.id(), new Transition.TimedOut("worker", "deadline passed at fal"))) {
      wake();
    }
  }

  private Void cancelled(JobAtFal job, CancelOutcome outcome, Throwable error) {
    if (error != null) {
      LOG.warn(
          "Cancelling job {} at fal failed, trying again later: {}",
          job.id(),
          rootCause(error).toString());
      return null;
    }
    LOG.debug("Cancelled job {} at fal: {}.", job.id(), outcome);
    schedule.cancelDone(job.id());
    return null;
  }

  private static Throwable rootCause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
