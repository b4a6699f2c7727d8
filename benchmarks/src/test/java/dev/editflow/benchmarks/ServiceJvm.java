package dev.editflow.benchmarks;

import dev.editflow.stack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reaches into a service's JVM with {@code jcmd}. */
final class ServiceJvm {

  private ServiceJvm() {}

  /** A full GC in the service, so heap figures start from live data only. */
  static void gc(ServiceProcess service) {
    long pid = service.pid();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path jcmd = Path.of(java).resolveSibling("jcmd");
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("jcmd failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
