package dev.editflow.benchmarks;

import dev.editflow.stack.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a window of load cost per finished job: CPU per component ({@link CpuAccount}), PostgreSQL
 * transactions and rows ({@code pg_stat_database} of this run's database; {@code
 * pg_stat_statements} is not loaded on the machine's server, so statements themselves are not
 * counted) and broker messages (the services' {@code editflow_outbox_published_total}, every
 * message editflow publishes goes through an outbox).
 */
final class JobCost {

  /** PostgreSQL backends report their counters up to 10 s after they go idle. */
  private static final Duration STATS_DELAY = Duration.ofSeconds(11);

  /** The counters at one moment. */
  record Mark(CpuAccount.Sample cpu, Map<String, Long> database, double published) {}

  private JobCost() {}

  /** The counters now, once what came before has been reported by PostgreSQL. */
  static Mark mark(Stack stack) {
    sleep(STATS_DELAY);
    return new Mark(CpuAccount.take(stack), JobsDb.activity(), published(stack));
  }

  /**
   * Adds the figures {@code <id>.cpu.<component>}, {@code <id>.cpu.total}, {@code
   * <id>.cpu.product}, {@code <id>.sql.*} and {@code <id>.messages} for the {@code jobs} finished
   * since {@code before}; call it as soon as they have finished.
   */
  static void report(Results results, String id, String what, Mark before, Stack stack, int jobs) {
    CpuAccount.Sample cpu = CpuAccount.take(stack);
    double published = published(stack);
    sleep(STATS_DELAY);
    Map<String, Long> database = JobsDb.activity();
    CpuAccount.report(results, id + ".cpu", what, before.cpu(), cpu, jobs);
    double perJob = Math.max(1, jobs);
    Map<String, Double> sql = new LinkedHashMap<>();
    database.forEach((k, v) -> sql.put(k, (v - before.database().get(k)) / perJob));
    results.add(
        Figure.plain(
            id + ".sql.transactions",
            "PostgreSQL transactions per job (" + what + ")",
            sql.get("xact_commit") + sql.get("xact_rollback"),
            ""));
    results.add(
        Figure.plain(
            id + ".sql.rows-written",
            "PostgreSQL rows inserted + updated + deleted per job (" + what + ")",
            sql.get("tup_inserted") + sql.get("tup_updated") + sql.get("tup_deleted"),
            ""));
    results.add(
        Figure.plain(
            id + ".messages",
            "broker messages published per job (" + what + ")",
            (published - before.published()) / perJob,
            ""));
    results.detail(id + ".sqlPerJob", sql);
  }

  private static double published(Stack stack) {
    List<ServiceProcess> services = new ArrayList<>(List.of(stack.gateway));
    services.addAll(stack.workers);
    services.addAll(stack.archivers);
    double total = 0;
    for (ServiceProcess service : services) {
      double value = Prometheus.scrape(service.baseUri()).value("editflow_outbox_published_total");
      total += Double.isNaN(value) ? 0 : value;
    }
    return total;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
