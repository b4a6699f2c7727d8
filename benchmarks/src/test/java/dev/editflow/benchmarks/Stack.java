package dev.editflow.benchmarks;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.stack.StackServices;
import dev.editflow.testsupport.Teardown;
import dev.editflow.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final StackServices services;
  private boolean closed;

  private Stack() {
    media = new MediaServer();
    services = new StackServices(TestInfrastructure.get());
    simulator =
        services
            .simulator()
            .with("editflow.simulator.concurrency-limit", 20_000)
            .with("editflow.simulator.output.long-side", 256)
            .with("editflow.simulator.timing.queue-wait-min", "0ms")
            .with("editflow.simulator.timing.queue-wait-max", "0ms")
            .with("editflow.simulator.timing.processing-min", "0ms")
            .with("editflow.simulator.timing.processing-max", "0ms")
            .with("editflow.simulator.webhook.key-seed", "benchmarks")
            .with("logging.level.dev.editflow.falsim", "WARN")
            .build();
    services.simulatedFal(simulator.baseUri(), "benchmarks-fal-key");
    gateway =
        services
            .gateway()
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

  /** Every service process of the stack: simulator, gateway, workers, archivers. */
  List<ServiceProcess> services() {
    List<ServiceProcess> all = new ArrayList<>(List.of(simulator, gateway));
    all.addAll(workers);
    all.addAll(archivers);
    return all;
  }

  /** Starts everything in parallel (the services do not need each other to start). */
  static Stack start() {
    Stack stack = new Stack();
    Teardown.atExit(stack::close);
    stack.archivers.add(stack.archiverProcess());
    stack.workers.add(stack.workerProcess(Tracking.WEBHOOKS, List.of()));
    try {
      ServiceProcess.startAll(
          List.of(
              stack.simulator, stack.gateway, stack.archivers.getFirst(), stack.workers.getFirst()),
          START_TIMEOUT);
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
    ServiceProcess.startAll(fresh, START_TIMEOUT);
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
    ServiceProcess.Builder builder = services.worker();
    if (tracking == Tracking.WEBHOOKS) {
      builder.with("editflow.worker.fal-webhook-base-url", gateway.baseUri());
    }
    jvmOptions.forEach(builder::jvmOption);
    return builder.build();
  }

  private ServiceProcess archiverProcess() {
    return services.archiver(media.authority()).build();
  }

  /**
   * Why the stack cannot serve the next benchmark, or null when it can: a process that exited, or
   * one whose liveness does not answer 200 within a few seconds (the wedged gateway took
   * connections but never answered them).
   */
  @Nullable String wedged() {
    for (ServiceProcess service : services()) {
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
