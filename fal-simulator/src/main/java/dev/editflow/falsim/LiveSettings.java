package dev.editflow.falsim;

import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/** The settings in force now: start-up values until the admin API replaces them. */
@Component
public class LiveSettings {

  private final SimulatorSettings initial;
  private final AtomicReference<SimulatorSettings> current;

  LiveSettings(SimulatorSettings initial) {
    this.initial = initial;
    this.current = new AtomicReference<>(initial);
  }

  public SimulatorSettings get() {
    return current.get();
  }

  public void replace(SimulatorSettings settings) {
    current.set(settings);
  }

  /** Restores the start-up settings. */
  public void restore() {
    current.set(initial);
  }
}
