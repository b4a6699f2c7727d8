package dev.editflow.gateway.edit;

import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.JobTransition;
import dev.editflow.model.EditJobId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent status events without a thread per stream: one scheduler looks at every open stream's
 * job a few times a second and sends the transitions it has not sent yet. The event id is the
 * transition's sequence, so a client that reconnects with {@code Last-Event-ID} misses nothing.
 */
@Component
class EventStreams implements DisposableBean {

  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final Duration MAX_OPEN = Duration.ofMinutes(30);
  private static final int BATCH = 500;

  private final EditJobs jobs;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("sse-poller").daemon(true).factory());
  private final Map<SseEmitter, Stream> streams = new ConcurrentHashMap<>();

  private static final class Stream {
    final EditJobId job;
    final AtomicLong lastSent;
    volatile Instant lastWrite = Instant.now();

    Stream(EditJobId job, long lastSent) {
      this.job = job;
      this.lastSent = new AtomicLong(lastSent);
    }
  }

  EventStreams(EditJobs jobs) {
    this.jobs = jobs;
    scheduler.scheduleWithFixedDelay(this::pushAll, 300, 300, TimeUnit.MILLISECONDS);
  }

  SseEmitter open(EditJobId job, @Nullable String lastEventId) {
    long after = 0;
    if (lastEventId != null) {
      try {
        after = Long.parseLong(lastEventId.strip());
      } catch (NumberFormatException ignored) {
        // an id we never sent: start from the beginning
      }
    }
    SseEmitter emitter = new SseEmitter(MAX_OPEN.toMillis());
    Stream stream = new Stream(job, after);
    streams.put(emitter, stream);
    emitter.onCompletion(() -> streams.remove(emitter));
    emitter.onTimeout(() -> streams.remove(emitter));
    emitter.onError(e -> streams.remove(emitter));
    scheduler.execute(() -> push(emitter, stream));
    return emitter;
  }

  /** One query per batch of streams, not one per stream: thousands of streams stay cheap. */
  private void pushAll() {
    List<Map.Entry<SseEmitter, Stream>> open = List.copyOf(streams.entrySet());
    for (int from = 0; from < open.size(); from += BATCH) {
      List<Map.Entry<SseEmitter, Stream>> batch =
          open.subList(from, Math.min(open.size(), from + BATCH));
      Map<EditJobId, List<JobTransition>> fresh;
      try {
        fresh =
            jobs.transitions(
                batch.stream().map(e -> e.getValue().job).distinct().toList(),
                batch.stream().mapToLong(e -> e.getValue().lastSent.get()).min().orElse(0));
      } catch (RuntimeException databaseHiccup) {
        return; // try again on the next round
      }
      batch.forEach(
          e -> send(e.getKey(), e.getValue(), fresh.getOrDefault(e.getValue().job, List.of())));
    }
  }

  private void push(SseEmitter emitter, Stream stream) {
    try {
      send(emitter, stream, jobs.transitions(stream.job, stream.lastSent.get()));
    } catch (RuntimeException databaseHiccup) {
      // try again on the next round
    }
  }

  /** Sends what this stream has not seen of {@code transitions}, or a keep-alive. */
  private void send(SseEmitter emitter, Stream stream, List<JobTransition> transitions) {
    try {
      for (JobTransition transition : transitions) {
        if (transition.sequence() <= stream.lastSent.get()) {
          continue;
        }
        emitter.send(
            SseEmitter.event()
                .id(String.valueOf(transition.sequence()))
                .name("status")
                .data(
                    new StatusEvent(transition.to(), transition.at()), MediaType.APPLICATION_JSON));
        stream.lastSent.set(transition.sequence());
        stream.lastWrite = Instant.now();
        if (transition.to().isTerminal()) {
          streams.remove(emitter);
          emitter.complete();
          return;
        }
      }
      if (stream.lastWrite.plus(KEEP_ALIVE).isBefore(Instant.now())) {
        emitter.send(SseEmitter.event().comment("keep-alive"));
        stream.lastWrite = Instant.now();
      }
    } catch (IOException | IllegalStateException clientGone) {
      streams.remove(emitter);
    }
  }

  @Override
  public void destroy() {
    scheduler.shutdownNow();
    streams.keySet().forEach(SseEmitter::complete);
  }
}
