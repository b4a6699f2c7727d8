package dev.editflow.benchmarks;

import dev.editflow.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Server-side truth from the job store: when jobs were created and when they reached a status
 * (table {@code edit_job_transition}). Jobs of one benchmark step are told apart by owner prefix.
 */
final class JobsDb {

  /** What became of the jobs of one owner prefix. */
  record Window(
      int jobs, int succeeded, @Nullable Instant firstCreated, @Nullable Instant lastSucceeded) {

    /** Jobs that reached SUCCEEDED per second, from the first created to the last succeeded. */
    double succeededPerSecond() {
      if (firstCreated == null || lastSucceeded == null || succeeded == 0) {
        return 0;
      }
      double seconds = (lastSucceeded.toEpochMilli() - firstCreated.toEpochMilli()) / 1000.0;
      return succeeded / Math.max(seconds, 0.001);
    }
  }

  private JobsDb() {}

  /** Milliseconds from {@code created_at} to the SUCCEEDED transition, per job of the prefix. */
  static List<Double> createdToSucceededMillis(String ownerPrefix) {
    return millis(
        "select extract(epoch from (t.at - j.created_at)) * 1000 from edit_job j "
            + "join edit_job_transition t on t.job_id = j.id and t.to_status = 'SUCCEEDED' "
            + "where j.owner_id like ?",
        ownerPrefix + "%");
  }

  /** Milliseconds from the ARCHIVING transition to the SUCCEEDED one, per job of the prefix. */
  static List<Double> archivingToSucceededMillis(String ownerPrefix) {
    return millis(
        "select extract(epoch from (s.at - a.at)) * 1000 from edit_job j "
            + "join edit_job_transition a on a.job_id = j.id and a.to_status = 'ARCHIVING' "
            + "join edit_job_transition s on s.job_id = j.id and s.to_status = 'SUCCEEDED' "
            + "where j.owner_id like ?",
        ownerPrefix + "%");
  }

  /** Seconds from the first to the last ARCHIVING transition of the prefix's jobs. */
  static double archivingHandOverSeconds(String ownerPrefix) {
    List<Double> span =
        millis(
            "select extract(epoch from (max(a.at) - min(a.at))) * 1000 from edit_job j "
                + "join edit_job_transition a on a.job_id = j.id and a.to_status = 'ARCHIVING' "
                + "where j.owner_id like ?",
            ownerPrefix + "%");
    return span.isEmpty() ? Double.NaN : span.getFirst() / 1000.0;
  }

  /** Seconds from the first ARCHIVING to the last SUCCEEDED of the prefix's jobs. */
  static double archivingSpanSeconds(String ownerPrefix) {
    List<Double> span =
        millis(
            "select extract(epoch from (max(s.at) - min(a.at))) * 1000 from edit_job j "
                + "join edit_job_transition a on a.job_id = j.id and a.to_status = 'ARCHIVING' "
                + "join edit_job_transition s on s.job_id = j.id and s.to_status = 'SUCCEEDED' "
                + "where j.owner_id like ?",
            ownerPrefix + "%");
    return span.isEmpty() ? Double.NaN : span.getFirst() / 1000.0;
  }

  static Window window(String ownerPrefix) {
    String sql =
        "select count(*), count(t.at), min(j.created_at), max(t.at) from edit_job j "
            + "left join edit_job_transition t on t.job_id = j.id and t.to_status = 'SUCCEEDED' "
            + "where j.owner_id like ?";
    try (Connection db = connect();
        PreparedStatement statement = db.prepareStatement(sql)) {
      statement.setString(1, ownerPrefix + "%");
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new Window(
            rs.getInt(1),
            rs.getInt(2),
            rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(),
            rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Jobs of the prefix per status. */
  static Map<String, Integer> statuses(String ownerPrefix) {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection db = connect();
        PreparedStatement statement =
            db.prepareStatement(
                "select status, count(*) from edit_job where owner_id like ? group by status")) {
      statement.setString(1, ownerPrefix + "%");
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getInt(2));
        }
      }
      return counts;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Jobs of the prefix not yet in a terminal status. */
  static int unfinished(String ownerPrefix) {
    Map<String, Integer> statuses = statuses(ownerPrefix);
    return statuses.entrySet().stream()
        .filter(e -> !List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(e.getKey()))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  /**
   * This run's database counters from {@code pg_stat_database}: transactions committed and rolled
   * back, rows inserted, updated, deleted and read. Backends report them when idle, at most once a
   * second and up to 10 s late: wait that long after the load before reading.
   */
  static Map<String, Long> activity() {
    String sql =
        "select xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_returned,"
            + " tup_fetched from pg_stat_database where datname = current_database()";
    try (Connection db = connect();
        PreparedStatement statement = db.prepareStatement(sql);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      Map<String, Long> counters = new LinkedHashMap<>();
      for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
        counters.put(rs.getMetaData().getColumnName(column), rs.getLong(column));
      }
      return counters;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Double> millis(String sql, String parameter) {
    List<Double> values = new ArrayList<>();
    try (Connection db = connect();
        PreparedStatement statement = db.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          double value = rs.getDouble(1);
          if (!rs.wasNull()) {
            values.add(value);
          }
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static Connection connect() throws SQLException {
    TestPostgres postgres = TestPostgres.get();
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }
}
