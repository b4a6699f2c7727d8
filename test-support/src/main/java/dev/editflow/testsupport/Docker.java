package dev.editflow.testsupport;

import dev.editflow.stack.UnitTier;
import org.testcontainers.DockerClientFactory;

/** Whether this machine has a Docker engine; asked once per JVM. */
final class Docker {

  private static final boolean AVAILABLE = detect();

  private Docker() {}

  static boolean available() {
    return AVAILABLE;
  }

  private static boolean detect() {
    if (UnitTier.active() || Boolean.getBoolean("editflow.tests.no-docker")) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
