package dev.editflow.benchmarks;

import dev.editflow.stack.ServiceProcess;
import dev.editflow.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time spent by each component of a run, read from {@code /proc/<pid>/stat} (utime + stime) of
 * every process involved: the services' JVMs, this JVM (load generator, in-process S3, job-store
 * queries), the PostgreSQL backends serving this run's database and the RabbitMQ node. Two samples
 * give what a window of load cost; divided by the jobs it finished, what one job cost.
 *
 * <p>PostgreSQL's shared background processes (WAL writer, checkpointer) and the RabbitMQ node also
 * serve whatever else uses them on the machine: those two components are upper bounds.
 */
final class CpuAccount {

  /** Components in the order they are reported. */
  static final List<String> COMPONENTS =
      List.of(
          "gateway", "worker", "archiver", "simulator", "postgresql", "rabbitmq", "load-generator");

  /** {@code getconf CLK_TCK}: Linux reports utime and stime in hundredths of a second. */
  static final double MILLIS_PER_TICK = 10;

  private static final Path PROC = Path.of("/proc");

  /** CPU ticks per process, with the component each belongs to, at one moment. */
  record Sample(Map<Long, String> componentByPid, Map<Long, Long> ticksByPid) {}

  private CpuAccount() {}

  static Sample take(Stack stack) {
    Map<Long, String> components = new LinkedHashMap<>();
    components.put(stack.gateway.pid(), "gateway");
    components.put(stack.simulator.pid(), "simulator");
    stack.workers.forEach(w -> components.put(w.pid(), "worker"));
    stack.archivers.forEach(a -> components.put(a.pid(), "archiver"));
    components.put(ProcessHandle.current().pid(), "load-generator");
    String database = database();
    try (Stream<Path> entries = Files.list(PROC)) {
      entries
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                String command = commandLine(p);
                long pid = Long.parseLong(p.getFileName().toString());
                if (command.startsWith("postgres: ")
                    && (command.contains(" " + database + " ") || !command.contains("("))) {
                  // this run's backends and the shared background processes (no client address)
                  components.put(pid, "postgresql");
                } else if (command.contains("beam.smp") && command.contains("rabbit")) {
                  components.put(pid, "rabbitmq");
                }
              });
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list /proc", e);
    }
    Map<Long, Long> ticks = new LinkedHashMap<>();
    components.keySet().forEach(pid -> ticks.put(pid, ticks(pid)));
    return new Sample(components, ticks);
  }

  /**
   * CPU milliseconds per component between two samples. A process present in both counts its
   * difference; one that started in between counts all it used; one that ended in between (a
   * short-lived PostgreSQL backend) is lost, a small undercount.
   */
  static Map<String, Double> millisBetween(Sample before, Sample after) {
    Map<String, Double> millis = new LinkedHashMap<>();
    COMPONENTS.forEach(c -> millis.put(c, 0.0));
    after
        .ticksByPid()
        .forEach(
            (pid, ticks) -> {
              long used = ticks - before.ticksByPid().getOrDefault(pid, 0L);
              millis.merge(
                  after.componentByPid().get(pid),
                  Math.max(0, used) * MILLIS_PER_TICK,
                  Double::sum);
            });
    return millis;
  }

  /**
   * Adds one figure per component, the total and the total without the simulator: CPU milliseconds
   * per finished job over the window between the samples.
   */
  static void report(
      Results results, String id, String what, Sample before, Sample after, int jobs) {
    Map<String, Double> perJob = new LinkedHashMap<>();
    millisBetween(before, after).forEach((c, ms) -> perJob.put(c, ms / Math.max(1, jobs)));
    double total = perJob.values().stream().mapToDouble(Double::doubleValue).sum();
    for (var entry : perJob.entrySet()) {
      results.add(
          Figure.plain(
              id + "." + entry.getKey(),
              "CPU per job, " + entry.getKey() + " (" + what + ")",
              entry.getValue(),
              "ms"));
    }
    results.add(
        Figure.plain(id + ".total", "CPU per job, all components (" + what + ")", total, "ms"));
    results.add(
        Figure.plain(
            id + ".product",
            "CPU per job without the simulator, editflow's own (" + what + ")",
            total - perJob.get("simulator"),
            "ms"));
  }

  /** utime + stime of a live process in ticks; 0 when it has gone. */
  static long ticks(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      // the command name in parentheses may hold spaces: fields are counted after it
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Resident set size of a live process in MB, from {@code /proc/<pid>/status}. */
  static double residentMegabytes(ServiceProcess service) {
    try {
      for (String line :
          Files.readAllLines(PROC.resolve(Long.toString(service.pid())).resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // gone: reported as NaN
    }
    return Double.NaN;
  }

  private static String commandLine(Path processDirectory) {
    try {
      return new String(
              Files.readAllBytes(processDirectory.resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  private static String database() {
    String url = TestPostgres.get().jdbcUrl();
    int query = url.indexOf('?');
    return url.substring(url.lastIndexOf('/') + 1, query < 0 ? url.length() : query);
  }
}
