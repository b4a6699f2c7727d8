package dev.editflow.falsim.traffic;

import dev.editflow.falsim.SimulatorSettings;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The simulated endpoints that are counted, can be made to fail and (mostly) need a key. */
public enum Endpoint {
  STATUS("GET", "^/[^/]+/[^/]+/requests/[^/]+/status/?$", true, SimulatorSettings.Faults::status),
  STREAM(
      "GET",
      "^/[^/]+/[^/]+/requests/[^/]+/status/stream/?$",
      true,
      SimulatorSettings.Faults::stream),
  CANCEL("PUT", "^/[^/]+/[^/]+/requests/[^/]+/cancel/?$", true, SimulatorSettings.Faults::cancel),
  RESULT("GET", "^/[^/]+/[^/]+/requests/[^/]+/?$", true, SimulatorSettings.Faults::result),
  MEDIA("GET", "^/media/files/[^/]+/[^/]+$", false, SimulatorSettings.Faults::media),
  JWKS("GET", "^/\\.well-known/jwks\\.json$", false, null),
  SUBMIT(
      "POST",
      "^/(?!_sim/|actuator/|media/)[^/]+/[^/]+(/.*)?$",
      true,
      SimulatorSettings.Faults::submit);

  private final String method;
  private final Pattern path;
  final boolean authenticated;
  private final @Nullable Function<SimulatorSettings.Faults, SimulatorSettings.EndpointFaults>
      faults;

  Endpoint(
      String method,
      String path,
      boolean authenticated,
      @Nullable Function<SimulatorSettings.Faults, SimulatorSettings.EndpointFaults> faults) {
    this.method = method;
    this.path = Pattern.compile(path);
    this.authenticated = authenticated;
    this.faults = faults;
  }

  /** Lower-case name used in counters and metrics. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  SimulatorSettings.@Nullable EndpointFaults faults(SimulatorSettings settings) {
    return faults == null ? null : faults.apply(settings.faults());
  }

  static @Nullable Endpoint classify(String method, String path) {
    for (Endpoint endpoint : values()) {
      if (endpoint.method.equals(method) && endpoint.path.matcher(path).matches()) {
        return endpoint;
      }
    }
    return null;
  }
}
