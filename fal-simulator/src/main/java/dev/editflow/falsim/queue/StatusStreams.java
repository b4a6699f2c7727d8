package dev.editflow.falsim.queue;

import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorReset;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Open status streams: each gets the status on every change and a keep-alive comment when idle; the
 * stream ends after COMPLETED. Writes run on virtual threads so a slow reader blocks nobody.
 */
@Component
class StatusStreams implements JobObserver, DisposableBean {

  private final LiveSettings settings;
  private final JsonMapper json;
  private final Map<String, Set<Stream>> byJob = new ConcurrentHashMap<>();
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService keepAlive =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("falsim-stream-keepalive").daemon().factory());

  StatusStreams(LiveSettings settings, JsonMapper json) {
    this.settings = settings;
    this.json = json;
    keepAlive.scheduleWithFixedDelay(this::sendKeepAlives, 1, 1, TimeUnit.SECONDS);
  }

  SseEmitter open(Job job, boolean withLogs) {
    var emitter = new SseEmitter(settings.get().stream().maxDuration().toMillis());
    var stream = new Stream(job.id(), emitter, withLogs);
    byJob.computeIfAbsent(job.id(), id -> ConcurrentHashMap.newKeySet()).add(stream);
    emitter.onCompletion(() -> remove(stream));
    emitter.onTimeout(() -> remove(stream));
    emitter.onError(e -> remove(stream));
    writers.execute(() -> push(stream, job));
    return emitter;
  }

  int openCount() {
    return byJob.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public void changed(Job job) {
    Set<Stream> streams = byJob.get(job.id());
    if (streams != null) {
      streams.forEach(stream -> writers.execute(() -> push(stream, job)));
    }
  }

  @EventListener
  void on(SimulatorReset reset) {
    byJob.values().forEach(streams -> streams.forEach(s -> s.emitter.complete()));
    byJob.clear();
  }

  @Override
  public void destroy() {
    keepAlive.shutdownNow();
    writers.shutdownNow();
  }

  private void push(Stream stream, Job job) {
    stream.lock.lock();
    try {
      if (stream.closed) {
        return;
      }
      JobState state = job.state();
      if (state == stream.lastState && state != JobState.IN_QUEUE) {
        return;
      }
      stream.lastState = state;
      String data = json.writeValueAsString(StatusView.of(job, stream.withLogs));
      stream.emitter.send(SseEmitter.event().data(data, MediaType.APPLICATION_JSON));
      stream.lastWriteNanos = System.nanoTime();
      if (state == JobState.COMPLETED) {
        stream.closed = true;
        stream.emitter.complete();
      }
    } catch (IOException | IllegalStateException e) {
      stream.closed = true;
      remove(stream);
    } finally {
      stream.lock.unlock();
    }
  }

  private void sendKeepAlives() {
    long intervalNanos = settings.get().stream().keepAlive().toNanos();
    long now = System.nanoTime();
    for (Set<Stream> streams : byJob.values()) {
      for (Stream stream : streams) {
        if (now - stream.lastWriteNanos >= intervalNanos) {
          stream.lastWriteNanos = now;
          writers.execute(() -> keepAlive(stream));
        }
      }
    }
  }

  private void keepAlive(Stream stream) {
    stream.lock.lock();
    try {
      if (!stream.closed) {
        stream.emitter.send(SseEmitter.event().comment("keep-alive"));
      }
    } catch (IOException | IllegalStateException e) {
      stream.closed = true;
      remove(stream);
    } finally {
      stream.lock.unlock();
    }
  }

  private void remove(Stream stream) {
    byJob.computeIfPresent(
        stream.jobId,
        (id, streams) -> {
          streams.remove(stream);
          return streams.isEmpty() ? null : streams;
        });
  }

  private static final class Stream {
    final String jobId;
    final SseEmitter emitter;
    final boolean withLogs;
    final ReentrantLock lock = new ReentrantLock();
    volatile long lastWriteNanos = System.nanoTime();
    @org.jspecify.annotations.Nullable JobState lastState;
    boolean closed;

    Stream(String jobId, SseEmitter emitter, boolean withLogs) {
      this.jobId = jobId;
      this.emitter = emitter;
      this.withLogs = withLogs;
    }
  }
}
