package dev.editflow.systemtests;

import dev.editflow.testsupport.TestS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * What became of the jobs of one run's users ({@code owner_id} starting with a prefix): counted in
 * the database, against the simulator's log of submissions and the objects in S3.
 */
final class JobsAudit {

  private static final Set<String> TERMINAL =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  /** What the worker logs when it submits again after a kill in the submit window. */
  private static final Pattern SUBMIT_WINDOW_ORPHAN =
      Pattern.compile(
          "Job (ed_\\w+) attempt \\d+ was marked for submit at .* no fal request was recorded");

  private final EditflowStack stack;
  private final String ownerPrefix;

  JobsAudit(EditflowStack stack, String ownerPrefix) {
    this.stack = stack;
    this.ownerPrefix = ownerPrefix;
  }

  /** Jobs of this run not yet in a terminal state; MAX_VALUE while the database is away. */
  long unfinished() {
    try (Connection db = Faults.database();
        var statement =
            db.prepareStatement(
                "select count(*) from edit_job where owner_id like ? "
                    + "and status not in ('SUCCEEDED','FAILED','CANCELLED','TIMED_OUT')")) {
      statement.setString(1, ownerPrefix + "%");
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Jobs a worker submitted again because the one that submitted first died in the submit window,
   * with how often, from every worker log of the run's directory (killed workers' logs included).
   */
  private Map<String, Integer> submitWindowOrphans() {
    Map<String, Integer> orphaned = new HashMap<>();
    Path logs = stack.gateway.log().toAbsolutePath().getParent();
    try (DirectoryStream<Path> workerLogs = Files.newDirectoryStream(logs, "edit-worker-*.log")) {
      for (Path log : workerLogs) {
        try (Stream<String> lines = Files.lines(log)) {
          lines
              .map(SUBMIT_WINDOW_ORPHAN::matcher)
              .filter(Matcher::find)
              .forEach(orphan -> orphaned.merge(orphan.group(1), 1, Integer::sum));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("could not read the worker logs in " + logs, e);
    }
    return orphaned;
  }

  /** Jobs at fal right now, all runs together (the account's limit is shared). */
  static long jobsAtFal() throws SQLException {
    try (Connection db = Faults.database();
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "select count(*) from edit_job where status in ('SUBMITTED', 'IN_PROGRESS')"
                        + " or (status = 'QUEUED' and submit_started_at is not null)")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@link #jobsAtFal()}, or 0 while the database is away. */
  static long jobsAtFalOrZero() {
    try {
      return jobsAtFal();
    } catch (SQLException e) {
      return 0;
    }
  }

  /**
   * Lost (accepted, not in the database), stuck (not terminal), fal submissions beyond the job's
   * attempts, and S3 objects beyond the job's outputs.
   */
  ChaosSummary summarise(
      String title,
      int accepted,
      Map<String, String> promptsByJob,
      Faults faults,
      long mostJobsAtFal)
      throws SQLException {
    Map<String, String> statusById = new HashMap<>();
    Map<String, Integer> attemptsById = new HashMap<>();
    Map<String, Integer> outputsById = new HashMap<>();
    Duration maxTimeToTerminal = Duration.ZERO;
    Map<String, Integer> failedByCode = new HashMap<>();
    try (Connection db = Faults.database();
        var statement =
            db.prepareStatement(
                "select j.id, j.status, j.attempt, j.error_code, j.created_at, j.updated_at, "
                    + "(select count(*) from edit_output o where o.job_id = j.id) "
                    + "from edit_job j where j.owner_id like ?")) {
      statement.setString(1, ownerPrefix + "%");
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          String status = rs.getString(2);
          statusById.put(id, status);
          attemptsById.put(id, rs.getInt(3));
          outputsById.put(id, rs.getInt(7));
          if (TERMINAL.contains(status)) {
            Duration took =
                Duration.between(rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
            maxTimeToTerminal = took.compareTo(maxTimeToTerminal) > 0 ? took : maxTimeToTerminal;
          }
          if (!"SUCCEEDED".equals(status) && TERMINAL.contains(status)) {
            failedByCode.merge(status + "/" + rs.getString(4), 1, Integer::sum);
          }
        }
      }
    }
    int lost =
        (int) promptsByJob.keySet().stream().filter(id -> !statusById.containsKey(id)).count();
    int stuck = (int) statusById.values().stream().filter(s -> !TERMINAL.contains(s)).count();
    int succeeded = (int) statusById.values().stream().filter("SUCCEEDED"::equals).count();

    Map<String, Integer> submissionsByPrompt = new HashMap<>();
    JsonNode requests =
        EditflowApi.send(
                HttpRequest.newBuilder(stack.simulator.baseUri().resolve("/_sim/requests"))
                    .GET()
                    .build())
            .json();
    JsonNode list = requests.isArray() ? requests : requests.path("requests");
    for (JsonNode request : list) {
      submissionsByPrompt.merge(request.path("prompt").asString(), 1, Integer::sum);
    }
    Map<String, Integer> orphaned = submitWindowOrphans();
    int duplicateSubmissions = 0;
    int submitWindowResubmits = 0;
    for (var job : promptsByJob.entrySet()) {
      int submissions = submissionsByPrompt.getOrDefault(job.getValue(), 0);
      int extra = Math.max(0, submissions - attemptsById.getOrDefault(job.getKey(), 1));
      int explained = Math.min(extra, orphaned.getOrDefault(job.getKey(), 0));
      submitWindowResubmits += explained;
      duplicateSubmissions += extra - explained;
    }

    int duplicateArchives = 0;
    try (var s3 = TestS3.get().client()) {
      for (var job : outputsById.entrySet()) {
        int objects =
            s3.listObjectsV2(b -> b.bucket(TestS3.BUCKET).prefix("outputs/" + job.getKey() + "/"))
                .keyCount();
        duplicateArchives += Math.max(0, objects - job.getValue());
      }
    }
    return new ChaosSummary(
        title,
        accepted,
        succeeded,
        failedByCode,
        lost,
        stuck,
        duplicateSubmissions,
        submitWindowResubmits,
        duplicateArchives,
        maxTimeToTerminal,
        faults.slowestGracefulStop(),
        mostJobsAtFal,
        faults.injected());
  }
}
