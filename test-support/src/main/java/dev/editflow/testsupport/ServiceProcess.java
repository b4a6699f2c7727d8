package dev.editflow.testsupport;

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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of editflow's executable jars running as a real OS process, as in production: started with
 * settings as command-line arguments, ready once its health endpoint answers, and stoppable with
 * SIGTERM or killed with SIGKILL mid-flight. Its output goes to {@code target/<name>-<port>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

  /** How long a SIGTERMed service may take before it is SIGKILLed, as Kubernetes does. */
  public static final Duration GRACE = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path jar;
  private final int port;
  private final Map<String, String> arguments;
  private final List<String> jvmOptions;
  private final Path log;
  private Process process;

  private ServiceProcess(
      String name, Path jar, int port, Map<String, String> arguments, List<String> jvmOptions) {
    this.name = name;
    this.jar = jar;
    this.port = port;
    this.arguments = arguments;
    this.jvmOptions = jvmOptions;
    this.log = Path.of("target", name + "-" + port + ".log");
  }

  /**
   * A process of the module {@code module} (its jar at {@code
   * <repo>/<module>/target/<module>.jar}), on a free port.
   */
  public static Builder of(String module) {
    return new Builder(module);
  }

  /** The module this process runs, e.g. {@code api-gateway}. */
  public String name() {
    return name;
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
    return process != null && process.isAlive();
  }

  /** The OS process id of the current run; a restart gets a new one. */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException(name + " has not been started");
    }
    return process.pid();
  }

  /**
   * Starts the process and waits until {@code /actuator/health} answers 200. After {@link #kill()}
   * or {@link #stop()} this starts it again, on the same port with the same settings.
   */
  public ServiceProcess start(Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    arguments.forEach((key, value) -> command.add("--" + key + "=" + value));
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("Could not start " + name, e);
    }
    try {
      awaitHealthy(timeout);
    } catch (RuntimeException e) {
      kill(); // a start that failed leaves nothing running
      throw e;
    }
    LOG.info("{} is up on port {} (pid {}).", name, port, process.pid());
    return this;
  }

  private void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited during start; see " + log.toAbsolutePath());
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(baseUri().resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    throw new IllegalStateException(
        name + " was not healthy within " + timeout + "; see " + log.toAbsolutePath());
  }

  /** SIGKILL: the process gets no chance to finish anything, as in a crash or an OOM kill. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /**
   * SIGTERM: a graceful shutdown, as an orchestrator does it; SIGKILL after {@link #GRACE}.
   *
   * @return how long the process took to exit
   */
  public Duration stop() {
    if (process == null || !process.isAlive()) {
      return Duration.ZERO;
    }
    long start = System.nanoTime();
    process.destroy();
    waitFor();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** SIGTERM to all at once, then waits for each: shutdowns overlap instead of adding up. */
  public static void stopAll(Collection<ServiceProcess> services) {
    List<ServiceProcess> running =
        services.stream().filter(s -> s.process != null && s.process.isAlive()).toList();
    running.forEach(s -> s.process.destroy());
    running.forEach(ServiceProcess::waitFor);
  }

  @Override
  public void close() {
    stop();
  }

  private void waitFor() {
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A free TCP port on loopback (free when asked; good enough for tests). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The repository's root, found by walking up from the working directory to the root pom. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("common-model"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("Not inside the editflow repository");
  }

  public static final class Builder {
    private final String module;
    private final Map<String, String> arguments = new LinkedHashMap<>();
    private final List<String> jvmOptions =
        new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
    private int port = freePort();

    private Builder(String module) {
      this.module = module;
    }

    /** A Spring property, passed as {@code --key=value}. */
    public Builder with(String key, Object value) {
      arguments.put(key, String.valueOf(value));
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public ServiceProcess build() {
      Path jar = repositoryRoot().resolve(module).resolve("target").resolve(module + ".jar");
      if (!Files.exists(jar)) {
        throw new IllegalStateException(
            jar
                + " does not exist: build it first (./mvnw -pl "
                + module
                + " -am package -DskipTests)");
      }
      return new ServiceProcess(module, jar, port, arguments, jvmOptions);
    }
  }
}
