package dev.editflow.stack;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of editflow's executable jars running as a real OS process, as in production: started with
 * settings as command-line arguments, ready once its health endpoint answers, stoppable with
 * SIGTERM or killed with SIGKILL mid-flight, and startable again on the same port with the same
 * command line. Its output is appended to its log file.
 */
public final class ServiceProcess implements AutoCloseable {

  /** How long a SIGTERMed service may take before it is SIGKILLed, as Kubernetes does. */
  public static final Duration GRACE = Duration.ofSeconds(60);

  /** Exit code of a JVM that ran out of memory with {@code -XX:+ExitOnOutOfMemoryError}. */
  public static final int OUT_OF_MEMORY = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final Path log;
  private final List<String> command;
  private volatile @Nullable Process process;
  private volatile @Nullable Duration readyAfter;

  private ServiceProcess(String name, int port, Path log, List<String> command) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.command = command;
  }

  /**
   * A process of the module {@code module} (its jar at {@code
   * <repository>/<module>/target/<module>.jar}), by default on a free port.
   */
  public static Builder of(String module) {
    return new Builder(module);
  }

  /** The module's name, e.g. {@code edit-worker}. */
  public String name() {
    return name;
  }

  /** How long the last {@link #start} took from launch to healthy; null before the first. */
  public @Nullable Duration readyAfter() {
    return readyAfter;
  }

  public int port() {
    return port;
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** The process of the current run; a restart gets a new one. */
  public Process process() {
    Process current = process;
    if (current == null) {
      throw new IllegalStateException(name + " has not been started");
    }
    return current;
  }

  /** The OS process id of the current run; a restart gets a new one. */
  public long pid() {
    return process().pid();
  }

  /**
   * Starts the process and waits until {@code /actuator/health} answers 200; a start that fails
   * leaves nothing running. After {@link #kill()} or {@link #stop()} this starts it again, on the
   * same port with the same settings.
   *
   * @throws ServiceNotStarted if it exits first or is not healthy in time
   */
  public ServiceProcess start(Duration timeout) {
    long launched = System.nanoTime();
    launch();
    try {
      awaitHealthy(timeout);
    } catch (RuntimeException e) {
      kill();
      throw e;
    }
    readyAfter = Duration.ofNanos(System.nanoTime() - launched);
    LOG.info("{} is up on port {} (pid {}).", name, port, pid());
    return this;
  }

  /** Starts a new process of this service without waiting for it to be healthy. */
  public Process launch() {
    UnitTier.refuse("a service process");
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process started =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      process = started;
      return started;
    } catch (IOException e) {
      throw new ServiceNotStarted(name + " could not be started: " + e.getMessage());
    }
  }

  /**
   * Waits until {@code /actuator/health} answers 200.
   *
   * @throws ServiceNotStarted if the process exits first or is not healthy in time
   */
  public void awaitHealthy(Duration timeout) {
    Process current = process();
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest health =
        HttpRequest.newBuilder(baseUri().resolve("/actuator/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (System.nanoTime() < deadline) {
      if (!current.isAlive()) {
        throw new ServiceNotStarted(
            name + " " + exitReason(current.exitValue()) + " while starting; see " + logPath());
      }
      try {
        if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServiceNotStarted(name + " was interrupted while starting");
      }
      sleep(200);
    }
    throw new ServiceNotStarted(name + " was not healthy within " + timeout + "; see " + logPath());
  }

  /** SIGKILL: the process gets no chance to finish anything, as in a crash or an OOM kill. */
  public void kill() {
    Process current = process;
    if (current != null) {
      current.destroyForcibly();
      awaitStopped(GRACE);
    }
  }

  /**
   * SIGTERM: a graceful shutdown, as an orchestrator does it; SIGKILL after {@link #GRACE}.
   *
   * @return how long the process took to exit
   */
  public Duration stop() {
    if (!isAlive()) {
      return Duration.ZERO;
    }
    long start = System.nanoTime();
    requestStop();
    awaitStopped(GRACE);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Sends SIGTERM (a graceful shutdown) without waiting. */
  public void requestStop() {
    Process current = process;
    if (current != null) {
      current.destroy();
    }
  }

  /** Waits for the process to end after {@link #requestStop()}, SIGKILL if it takes too long. */
  public void awaitStopped(Duration grace) {
    Process current = process;
    if (current == null) {
      return;
    }
    try {
      if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      current.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Starts all at once and waits until each is healthy: starts overlap instead of adding up. */
  public static void startAll(Collection<ServiceProcess> services, Duration timeout) {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ServiceProcess>> starts = new ArrayList<>();
      services.forEach(service -> starts.add(threads.submit(() -> service.start(timeout))));
      for (Future<ServiceProcess> start : starts) {
        start.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new ServiceNotStarted(e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceNotStarted("interrupted while starting the services");
    }
  }

  /** SIGTERM to all at once, then waits for each: shutdowns overlap instead of adding up. */
  public static void stopAll(Collection<ServiceProcess> services, Duration grace) {
    List<ServiceProcess> running = services.stream().filter(ServiceProcess::isAlive).toList();
    running.forEach(ServiceProcess::requestStop);
    running.forEach(service -> service.awaitStopped(grace));
  }

  /** How a process ended, in words: "ran out of memory", "was killed", "exited with code 1". */
  public static String exitReason(int exitCode) {
    return switch (exitCode) {
      case OUT_OF_MEMORY -> "ran out of memory (exit code 3)";
      case 128 + 9 -> "was killed (SIGKILL)";
      case 128 + 15 -> "was terminated (SIGTERM)";
      default -> "exited with code " + exitCode;
    };
  }

  /** A free TCP port on loopback (free when asked; another program may take it before use). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The checkout the jars were built in: {@code EDITFLOW_HOME}, or found upwards from the working
   * directory.
   *
   * @throws ServiceNotStarted outside the checkout
   */
  public static Path repositoryRoot() {
    String home = System.getenv("EDITFLOW_HOME");
    Path dir = home != null ? Path.of(home).toAbsolutePath() : Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("api-gateway"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new ServiceNotStarted("run from the editflow checkout (or set EDITFLOW_HOME)");
  }

  List<String> command() {
    return command;
  }

  private Path logPath() {
    return log.toAbsolutePath();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How to start one service: its jar, port, settings, JVM options and log. */
  public static final class Builder {
    private final String module;
    private final Map<String, String> arguments = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private String maxHeap = "384m";
    private @Nullable Path repository;
    private @Nullable Path log;
    private int port;

    private Builder(String module) {
      this.module = module;
    }

    /** A Spring property, passed as {@code --key=value}; a later value for a key replaces it. */
    public Builder with(String key, Object value) {
      arguments.put(key, String.valueOf(value));
      return this;
    }

    /** Spring properties, as {@link #with} each. */
    public Builder withAll(Map<String, String> properties) {
      arguments.putAll(properties);
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    /** The JVM's {@code -Xmx}; 384m by default, so several services fit on one machine. */
    public Builder maxHeap(String size) {
      this.maxHeap = size;
      return this;
    }

    /** The port to listen on; a free one by default. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Where the jars are built; {@link #repositoryRoot()} by default. */
    public Builder repository(Path repository) {
      this.repository = repository;
      return this;
    }

    /** The file output is appended to; {@code target/<module>-<port>.log} by default. */
    public Builder log(Path log) {
      this.log = log;
      return this;
    }

    /**
     * @throws ServiceNotStarted if the jar has not been built
     */
    public ServiceProcess build() {
      Path root = repository != null ? repository : repositoryRoot();
      Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
      if (!Files.exists(jar)) {
        throw new ServiceNotStarted(
            jar
                + " is missing: build it first (./mvnw -pl "
                + module
                + " -am package -DskipTests)");
      }
      int chosen = port != 0 ? port : freePort();
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("-Xmx" + maxHeap);
      command.add("-XX:+UseSerialGC");
      // A service that runs out of memory exits (and is restarted by whoever supervises it)
      // instead of staying up without answering.
      command.add("-XX:+ExitOnOutOfMemoryError");
      command.addAll(jvmOptions);
      command.add("-jar");
      command.add(jar.toString());
      command.add("--server.port=" + chosen);
      arguments.forEach((key, value) -> command.add("--" + key + "=" + value));
      Path file = log != null ? log : Path.of("target", module + "-" + chosen + ".log");
      return new ServiceProcess(module, chosen, file, List.copyOf(command));
    }
  }
}
