package dev.editflow.benchmarks;

import dev.editflow.testsupport.ServiceProcess;
import dev.editflow.testsupport.Teardown;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import dev.editflow.testsupport.TestS3;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * editflow as in production, one process per service: fal-simulator, api-gateway, edit-worker(s)
 * and result-archiver(s) from their jars, over this JVM's own PostgreSQL database, RabbitMQ vhost
 * and S3 endpoint. Workers can be replaced by a different number or configuration between
 * benchmarks.
 */
final class Stack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Stack.class);
  static final String JWT_SECRET = "benchmarks-secret-0123456789abcdef0123456789abcdef";
  static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  /** How the workers learn that fal finished a request. */
  enum Tracking {
    /** fal calls the gateway's webhook endpoint; one more broker message per job. */
    WEBHOOKS,
    /** The worker polls fal's status endpoint with backoff; two broker messages per job. */
    POLLING
  }

  final MediaServer media;
  final ServiceProcess simulator;
  final ServiceProcess gateway;
  final List<ServiceProcess> workers = new ArrayList<>();
  final List<ServiceProcess> archivers = new ArrayList<>();
  final Simulator simulatorAdmin;

  /** How long each process took from launch to a healthy {@code /actuator/health}. */
  final Map<ServiceProcess, Duration> readyAfter = new ConcurrentHashMap<>();

  private boolean closed;

  private Stack() {
    media = new MediaServer();
    simulator =
        ServiceProcess.of("fal-simulator")
            .with("editflow.simulator.concurrency-limit", 20_000)
            .with("editflow.simulator.output.long-side", 256)
            .with("editflow.simulator.timing.queue-wait-min", "0ms")
            .with("editflow.simulator.timing.queue-wait-max", "0ms")
            .with("editflow.simulator.timing.processing-min", "0ms")
            .with("editflow.simulator.timing.processing-max", "0ms")
            .with("editflow.simulator.webhook.key-seed", "benchmarks")
            .with("logging.level.dev.editflow.falsim", "WARN")
            .build();
    gateway =
        common(ServiceProcess.of("api-gateway"))
            .with("spring.profiles.active", "local")
            .with("editflow.gateway.auth.hmac-secret", JWT_SECRET)
            // Benchmarks measure the machinery, not the per-user limits.
            .with("editflow.gateway.limits.requests-per-minute", 100_000_000)
            .with("editflow.gateway.limits.max-active-jobs", 100_000_000)
            .with("editflow.gateway.limits.daily-images", 100_000_000)
            .with("editflow.gateway.limits.daily-budget-usd", 1_000_000_000)
            .with("editflow.gateway.load.max-streams-per-user", 100_000)
            .with("editflow.gateway.jobs.deadline", "30m")
            .with("editflow.gateway.fal-webhooks.enabled", true)
            .with(
                "editflow.gateway.fal-webhooks.jwks-url",
                simulator.baseUri().resolve("/.well-known/jwks.json"))
            .build();
    simulatorAdmin = new Simulator(simulator.baseUri());
  }

  /** Starts everything in parallel (the services do not need each other to start). */
  static Stack start() {
    Stack stack = new Stack();
    TestS3.get();
    TestPostgres.get();
    TestRabbit.get();
    Teardown.atExit(stack::close);
    stack.archivers.add(stack.archiverProcess());
    stack.workers.add(stack.workerProcess(Tracking.WEBHOOKS, List.of()));
    try {
      stack.startAll(
          List.of(
              stack.simulator,
              stack.gateway,
              stack.archivers.getFirst(),
              stack.workers.getFirst()));
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  /** Replaces every worker by {@code count} new ones with this tracking and these JVM options. */
  void replaceWorkers(int count, Tracking tracking, List<String> jvmOptions) {
    stopWorkers();
    List<ServiceProcess> fresh = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      fresh.add(workerProcess(tracking, jvmOptions));
    }
    workers.addAll(fresh);
    startAll(fresh);
    LOG.info("{} worker(s) running with {}.", count, tracking);
  }

  void stopWorkers() {
    workers.forEach(ServiceProcess::stop);
    workers.clear();
  }

  void stopArchivers() {
    archivers.forEach(ServiceProcess::stop);
    archivers.clear();
  }

  private ServiceProcess workerProcess(Tracking tracking, List<String> jvmOptions) {
    ServiceProcess.Builder builder =
        common(ServiceProcess.of("edit-worker"))
            .with("editflow.fal.base-url", simulator.baseUri())
            .with("editflow.fal.key", "benchmarks-fal-key");
    if (tracking == Tracking.WEBHOOKS) {
      builder.with("editflow.worker.fal-webhook-base-url", gateway.baseUri());
    }
    jvmOptions.forEach(builder::jvmOption);
    return builder.build();
  }

  private ServiceProcess archiverProcess() {
    return common(ServiceProcess.of("result-archiver"))
        .with(
            "editflow.archiver.media.allowed-hosts",
            "127.0.0.1:" + simulator.port() + "," + media.authority())
        .with("editflow.archiver.media.allow-http", true)
        .with("editflow.archiver.media.allow-loopback", true)
        .build();
  }

  private static ServiceProcess.Builder common(ServiceProcess.Builder builder) {
    TestPostgres postgres = TestPostgres.get();
    TestRabbit rabbit = TestRabbit.get();
    TestS3 s3 = TestS3.get();
    return builder
        .with("spring.datasource.url", postgres.jdbcUrl())
        .with("spring.datasource.username", postgres.username())
        .with("spring.datasource.password", postgres.password())
        .with("spring.rabbitmq.host", rabbit.host())
        .with("spring.rabbitmq.port", rabbit.port())
        .with("spring.rabbitmq.virtual-host", rabbit.virtualHost())
        .with("editflow.s3.endpoint", s3.endpoint())
        .with("editflow.s3.access-key", TestS3.ACCESS_KEY)
        .with("editflow.s3.secret-key", TestS3.SECRET_KEY)
        .with("editflow.s3.bucket", TestS3.BUCKET);
  }

  private void startAll(List<ServiceProcess> processes) {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ServiceProcess>> futures = new ArrayList<>();
      processes.forEach(
          process ->
              futures.add(
                  threads.submit(
                      () -> {
                        long start = System.nanoTime();
                        process.start(START_TIMEOUT);
                        readyAfter.put(process, Duration.ofNanos(System.nanoTime() - start));
                        return process;
                      })));
      for (Future<ServiceProcess> future : futures) {
        future.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("A service did not start: " + e.getMessage(), e);
    }
  }

  /**
   * Why the stack cannot serve the next benchmark, or null when it can: a process that exited, or
   * one whose liveness does not answer 200 within a few seconds (the wedged gateway took
   * connections but never answered them).
   */
  @Nullable String wedged() {
    List<ServiceProcess> all = new ArrayList<>(List.of(simulator, gateway));
    all.addAll(workers);
    all.addAll(archivers);
    for (ServiceProcess service : all) {
      if (!service.isAlive()) {
        return service.log().getFileName() + " exited";
      }
      if (!live(service)) {
        return service.log().getFileName() + " does not answer liveness";
      }
    }
    return null;
  }

  private static boolean live(ServiceProcess service) {
    HttpRequest liveness =
        HttpRequest.newBuilder(service.baseUri().resolve("/actuator/health/liveness"))
            .timeout(Duration.ofSeconds(5))
            .build();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (Http.CLIENT.send(liveness, HttpResponse.BodyHandlers.discarding()).statusCode()
            == 200) {
          return true;
        }
      } catch (IOException e) {
        // not answering: ask again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Nothing is measured any more: no need to wait for graceful shutdowns.
    workers.forEach(ServiceProcess::kill);
    archivers.forEach(ServiceProcess::kill);
    gateway.kill();
    simulator.kill();
    media.close();
  }
}
