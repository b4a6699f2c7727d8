package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.gateway.system.LoadShedding;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.JobTransition;
import dev.editflow.model.EditJobId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent status events without a thread per stream: one scheduler looks at every open stream's
 * job a few times a second and sends the transitions it has not sent yet. The event id is the
 * transition's sequence, so a client that reconnects with {@code Last-Event-ID} misses nothing. An
 * open stream costs its connection and a few objects, no thread; how many may be open is bounded
 * per user ({@code 429 TOO_MANY_STREAMS}) and per instance ({@code 503 OVERLOADED}).
 */
@Component
class EventStreams implements DisposableBean {

  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final Duration MAX_OPEN = Duration.ofMinutes(30);
  private static final int BATCH = 500;

  private final EditJobs jobs;
  private final LoadShedding shedding;
  private final GatewaySettings.Load limits;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("sse-poller").daemon(true).factory());
  private final Map<SseEmitter, Stream> streams = new ConcurrentHashMap<>();
  private final Map<String, Integer> streamsPerUser = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();

  private static final class Stream {
    final EditJobId job;
    final String user;
    final AtomicLong lastSent;
    volatile Instant lastWrite = Instant.now();

    Stream(EditJobId job, String user, long lastSent) {
      this.job = job;
      this.user = user;
      this.lastSent = new AtomicLong(lastSent);
    }
  }

  EventStreams(
      EditJobs jobs, LoadShedding shedding, GatewaySettings settings, MeterRegistry meters) {
    this.jobs = jobs;
    this.shedding = shedding;
    this.limits = settings.load();
    Gauge.builder("editflow.gateway.streams.open", open, AtomicInteger::get)
        .description("Open event streams (editflow.gateway.load.max-streams at most)")
        .register(meters);
    scheduler.scheduleWithFixedDelay(this::pushAll, 300, 300, TimeUnit.MILLISECONDS);
  }

  SseEmitter open(EditJobId job, String user, @Nullable String lastEventId) {
    reserve(user);
    long after = 0;
    if (lastEventId != null) {
      try {
        after = Long.parseLong(lastEventId.strip());
      } catch (NumberFormatException ignored) {
        // an id we never sent: start from the beginning
      }
    }
    SseEmitter emitter = new SseEmitter(MAX_OPEN.toMillis());
    Stream stream = new Stream(job, user, after);
    streams.put(emitter, stream);
    emitter.onCompletion(() -> close(emitter));
    emitter.onTimeout(() -> close(emitter));
    emitter.onError(e -> close(emitter));
    scheduler.execute(() -> push(emitter, stream));
    return emitter;
  }

  /** Counts the stream against both bounds, or refuses it without counting it. */
  private void reserve(String user) {
    boolean[] admitted = {false};
    streamsPerUser.compute(
        user,
        (u, count) -> {
          int mine = count == null ? 0 : count;
          if (mine >= limits.maxStreamsPerUser()) {
            return count;
          }
          admitted[0] = true;
          return mine + 1;
        });
    if (!admitted[0]) {
      throw shedding.tooManyStreams();
    }
    if (open.incrementAndGet() > limits.maxStreams()) {
      release(user);
      throw shedding.overloaded(
          LoadShedding.Reason.STREAMS,
          "This instance has " + limits.maxStreams() + " event streams open; retry shortly");
    }
  }

  private void release(String user) {
    open.decrementAndGet();
    streamsPerUser.computeIfPresent(user, (u, count) -> count == 1 ? null : count - 1);
  }

  /** Forgets the stream; the map's remove answers the stream once, so it is released once. */
  private void close(SseEmitter emitter) {
    Stream stream = streams.remove(emitter);
    if (stream != null) {
      release(stream.user);
    }
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
          close(emitter);
          emitter.complete();
          return;
        }
      }
      if (stream.lastWrite.plus(KEEP_ALIVE).isBefore(Instant.now())) {
        emitter.send(SseEmitter.event().comment("keep-alive"));
        stream.lastWrite = Instant.now();
      }
    } catch (IOException | IllegalStateException clientGone) {
      close(emitter);
    }
  }

  @Override
  public void destroy() {
    scheduler.shutdownNow();
    streams.keySet().forEach(SseEmitter::complete);
  }
}
