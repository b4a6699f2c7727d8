package dev.editflow.benchmarks;

import dev.editflow.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** Reaches into a service's JVM with {@code jcmd}, found by the port it was started on. */
final class ServiceJvm {

  private ServiceJvm() {}

  /** A full GC in the service, so heap figures start from live data only. */
  static void gc(ServiceProcess service) {
    long pid =
        ProcessHandle.allProcesses()
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(
                            args -> Arrays.asList(args).contains("--server.port=" + service.port()))
                        .orElse(false))
            .mapToLong(ProcessHandle::pid)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No process on port " + service.port()));
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
