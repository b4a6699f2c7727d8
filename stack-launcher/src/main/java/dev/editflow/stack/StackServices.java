package dev.editflow.stack;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * How editflow's services are wired together as processes: the api-gateway, edit-workers and
 * result-archivers against the given PostgreSQL, RabbitMQ and S3, the workers calling fal or the
 * fal-simulator, the archivers fetching results from where fal serves them. Each method gives a
 * builder with what every stack needs; the caller adds its own settings (limits, timing, ports) and
 * decides how many to start and how to watch them.
 */
public final class StackServices {

  private final Infrastructure infrastructure;
  private final Map<String, String> shared = new LinkedHashMap<>();
  private @Nullable Path repository;
  private @Nullable Path logs;
  private @Nullable URI simulator;
  private @Nullable String falKey;

  public StackServices(Infrastructure infrastructure) {
    this.infrastructure = infrastructure;
  }

  /** A setting for every service that uses the infrastructure (gateway, workers, archivers). */
  public StackServices with(String key, Object value) {
    shared.put(key, String.valueOf(value));
    return this;
  }

  /** Settings for every service that uses the infrastructure, as {@link #with} each. */
  public StackServices withAll(Map<String, String> properties) {
    shared.putAll(properties);
    return this;
  }

  /** Where the jars are built; see {@link ServiceProcess.Builder#repository}. */
  public StackServices repository(Path repository) {
    this.repository = repository;
    return this;
  }

  /** Each service logs to {@code <directory>/<module>.log} instead of {@code target/}. */
  public StackServices logs(Path directory) {
    this.logs = directory;
    return this;
  }

  /**
   * The workers call the fal-simulator at {@code base} with {@code key}, and the archivers fetch
   * its outputs from there. Without this the workers call the real fal with their own key.
   */
  public StackServices simulatedFal(URI base, String key) {
    this.simulator = base;
    this.falKey = key;
    return this;
  }

  /** The fal-simulator; it needs no infrastructure. */
  public ServiceProcess.Builder simulator() {
    return service("fal-simulator");
  }

  /** An api-gateway, with the {@code local} profile (development token endpoint, demo page). */
  public ServiceProcess.Builder gateway() {
    return withInfrastructure("api-gateway").with("spring.profiles.active", "local");
  }

  /** An edit-worker, calling the simulator if there is one. */
  public ServiceProcess.Builder worker() {
    ServiceProcess.Builder worker = withInfrastructure("edit-worker");
    if (simulator != null && falKey != null) {
      worker.with("editflow.fal.base-url", simulator).with("editflow.fal.key", falKey);
    }
    return worker;
  }

  /**
   * A result-archiver that fetches outputs from the simulator (if there is one) and from {@code
   * mediaHosts}, over plain http and loopback as a local simulator or media server needs.
   */
  public ServiceProcess.Builder archiver(String... mediaHosts) {
    List<String> hosts =
        Stream.concat(
                Stream.of(mediaHosts),
                simulator == null ? Stream.empty() : Stream.of(simulator.getAuthority()))
            .toList();
    return withInfrastructure("result-archiver")
        .with("editflow.archiver.media.allowed-hosts", String.join(",", hosts))
        .with("editflow.archiver.media.allow-http", true)
        .with("editflow.archiver.media.allow-loopback", true);
  }

  private ServiceProcess.Builder withInfrastructure(String module) {
    return service(module).withAll(infrastructure.properties()).withAll(shared);
  }

  private ServiceProcess.Builder service(String module) {
    ServiceProcess.Builder builder = ServiceProcess.of(module);
    if (repository != null) {
      builder.repository(repository);
    }
    if (logs != null) {
      builder.log(logs.resolve(module + ".log"));
    }
    return builder;
  }
}
