package dev.editflow.systemtests;

import com.sun.tools.attach.VirtualMachine;
import dev.editflow.stack.ServiceProcess;
import dev.editflow.systemtests.Trend.Point;
import dev.editflow.testsupport.TestRabbit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples what a leak would grow: per service process its heap after a full GC (over JMX, attached
 * to the process), live threads, open files and database pool (its {@code /actuator/prometheus});
 * for the run's vhost its broker connections and channels; for its database the sessions, outbox,
 * parked messages and job rows. A value that cannot be read (a process restarting, the database
 * away) is skipped, not recorded as zero.
 */
final class ResourceSampler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceSampler.class);
  private static final Duration JMX_TIMEOUT = Duration.ofSeconds(30);

  /** A series: the service (or "broker", "database") and the metric. */
  record Key(String service, SoakMetric metric) {}

  private final EditflowStack stack;
  private final JobsAudit audit;
  private final long startNanos = System.nanoTime();
  private final Map<Key, List<Point>> series = new LinkedHashMap<>();
  private final Map<String, JMXConnector> jmxByService = new HashMap<>();
  private final Map<String, Long> pidByService = new HashMap<>();
  private final ExecutorService jmxCalls = Executors.newVirtualThreadPerTaskExecutor();

  ResourceSampler(EditflowStack stack, JobsAudit audit) {
    this.stack = stack;
    this.audit = audit;
  }

  synchronized void sample() {
    double at = (System.nanoTime() - startNanos) / 1e9;
    stack.processesByName().forEach((name, process) -> sampleProcess(at, name, process));
    sampleBroker(at);
    sampleDatabase(at);
  }

  synchronized Map<Key, List<Point>> series() {
    Map<Key, List<Point>> copy = new LinkedHashMap<>();
    series.forEach((key, points) -> copy.put(key, List.copyOf(points)));
    return copy;
  }

  /** Every sample as CSV (service, metric, seconds, pid, value), to plot or re-judge later. */
  synchronized void writeCsv(java.nio.file.Path file) throws IOException {
    StringBuilder csv = new StringBuilder("service,metric,seconds,pid,value\n");
    series.forEach(
        (key, points) ->
            points.forEach(
                p ->
                    csv.append(
                        String.format(
                            java.util.Locale.ROOT,
                            "%s,%s,%.1f,%d,%.2f%n",
                            key.service(),
                            key.metric(),
                            p.seconds(),
                            p.pid(),
                            p.value()))));
    java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
    java.nio.file.Files.writeString(file, csv);
  }

  double secondsSinceStart() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void sampleProcess(double at, String name, ServiceProcess process) {
    if (!process.isAlive()) {
      return;
    }
    long pid = process.pid();
    try {
      record(name, SoakMetric.HEAP_AFTER_GC, at, pid, heapAfterGcMbWithin(name, pid));
    } catch (IOException | RuntimeException | TimeoutException e) {
      LOG.debug("No heap sample of {}: {}", name, e.toString());
      forget(name);
    }
    EditflowApi.Response metrics;
    try {
      metrics =
          EditflowApi.send(
              HttpRequest.newBuilder(process.baseUri().resolve("/actuator/prometheus"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build());
    } catch (RuntimeException e) {
      return;
    }
    if (metrics.status() != 200) {
      return;
    }
    String text = new String(metrics.body(), StandardCharsets.UTF_8);
    recordSum(name, SoakMetric.LIVE_THREADS, at, pid, text, "jvm_threads_live_threads", "");
    recordSum(name, SoakMetric.OPEN_FILES, at, pid, text, "process_files_open_files", "");
    recordSum(name, SoakMetric.DB_POOL, at, pid, text, "hikaricp_connections", "");
    if ("gateway".equals(name)) {
      recordSum(
          "broker",
          SoakMetric.PARKING_LOT,
          at,
          0,
          text,
          "editflow_queue_messages",
          "queue=\"editflow.parking-lot\"");
    }
  }

  /**
   * A JMX call has no timeout of its own: one whose answer never comes (a process gone without
   * closing its socket, a reused port) would stop the sampling, and so the soak, for good.
   */
  private double heapAfterGcMbWithin(String name, long pid) throws IOException, TimeoutException {
    Future<Double> heap = jmxCalls.submit(() -> heapAfterGcMb(name, pid));
    try {
      return heap.get(JMX_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      heap.cancel(true);
    }
  }

  /** Forces a full collection in the process and reads what is left: what the heap really holds. */
  private double heapAfterGcMb(String name, long pid) throws IOException {
    if (!Long.valueOf(pid).equals(pidByService.get(name))) {
      forget(name);
      pidByService.put(name, pid);
    }
    JMXConnector connector = jmxByService.get(name);
    if (connector == null) {
      connector = attach(pid);
      jmxByService.put(name, connector);
    }
    MemoryMXBean memory =
        ManagementFactory.newPlatformMXBeanProxy(
            connector.getMBeanServerConnection(),
            ManagementFactory.MEMORY_MXBEAN_NAME,
            MemoryMXBean.class);
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }

  private static JMXConnector attach(long pid) throws IOException {
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
      } finally {
        vm.detach();
      }
    } catch (com.sun.tools.attach.AttachNotSupportedException e) {
      throw new IOException(e);
    }
  }

  private void forget(String name) {
    JMXConnector connector = jmxByService.remove(name);
    pidByService.remove(name);
    if (connector != null) {
      // Closing talks to the process too, and may wait as long as the call that failed.
      jmxCalls.execute(
          () -> {
            try {
              connector.close();
            } catch (IOException e) {
              // the process is gone
            }
          });
    }
  }

  private void sampleBroker(double at) {
    try {
      List<Integer> channels = TestRabbit.get().channelsPerConnection();
      record("broker", SoakMetric.BROKER_CONNECTIONS, at, 0, channels.size());
      record(
          "broker",
          SoakMetric.BROKER_CHANNELS,
          at,
          0,
          channels.stream().mapToInt(Integer::intValue).sum());
    } catch (RuntimeException e) {
      LOG.debug("No broker sample: {}", e.toString());
    }
  }

  private void sampleDatabase(double at) {
    try (Connection db = Faults.database()) {
      record(
          "database",
          SoakMetric.DB_SESSIONS,
          at,
          0,
          count(
              db,
              "select count(*) from pg_stat_activity"
                  + " where datname = current_database() and pid <> pg_backend_pid()"));
      record(
          "database", SoakMetric.OUTBOX, at, 0, count(db, "select count(*) from outbox_message"));
      record("database", SoakMetric.JOB_ROWS, at, 0, count(db, "select count(*) from edit_job"));
      record(
          "database",
          SoakMetric.TRANSITION_ROWS,
          at,
          0,
          count(db, "select count(*) from edit_job_transition"));
      record(
          "database", SoakMetric.OUTPUT_ROWS, at, 0, count(db, "select count(*) from edit_output"));
    } catch (SQLException e) {
      LOG.debug("No database sample: {}", e.toString());
    }
    long unfinished = audit.unfinished();
    if (unfinished != Long.MAX_VALUE) {
      record("database", SoakMetric.UNFINISHED_JOBS, at, 0, unfinished);
    }
  }

  private static long count(Connection db, String sql) throws SQLException {
    try (ResultSet rs = db.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Sums the samples of {@code metric} whose labels contain {@code labels}. */
  private void recordSum(
      String service,
      SoakMetric soakMetric,
      double at,
      long pid,
      String text,
      String metric,
      String labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        String name = line.substring(0, line.lastIndexOf(' '));
        if (name.contains(labels)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
    }
    if (found) {
      record(service, soakMetric, at, pid, sum);
    }
  }

  private void record(String service, SoakMetric metric, double at, long pid, double value) {
    series
        .computeIfAbsent(new Key(service, metric), k -> new ArrayList<>())
        .add(new Point(at, pid, value));
  }

  @Override
  public synchronized void close() {
    List.copyOf(jmxByService.keySet()).forEach(this::forget);
    jmxCalls.shutdown();
  }
}
