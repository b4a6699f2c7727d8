package dev.editflow.systemtests;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the jobs of a chaos run or a soak ended with. Everything but {@code failedByCode} and {@code
 * submitWindowResubmits} must be zero to pass. {@code submitWindowResubmits} are the documented
 * exception (README "The submit window"): a worker killed between fal accepting a request and
 * recording its id leaves an orphan that, without fal webhooks (the system tests poll), is
 * submitted again after the submit grace; each is one extra fal request, counted here and not as a
 * duplicate.
 */
record ChaosSummary(
    String title,
    int accepted,
    int succeeded,
    Map<String, Integer> failedByCode,
    int lost,
    int stuck,
    int duplicateFalSubmissions,
    int submitWindowResubmits,
    int duplicateArchives,
    Duration maxTimeToTerminal,
    Duration slowestGracefulStop,
    long mostJobsAtFal,
    List<String> faultsInjected) {

  String table() {
    StringBuilder out = new StringBuilder();
    String heading = "===== editflow " + title + " =====";
    out.append("\n").append(heading).append("\n");
    row(out, "accepted", accepted);
    row(out, "succeeded", succeeded);
    new TreeMap<>(failedByCode).forEach((code, count) -> row(out, "ended " + code, count));
    row(out, "lost", lost);
    row(out, "stuck", stuck);
    row(out, "duplicate fal submissions", duplicateFalSubmissions);
    row(out, "  + submit-window resubmits", submitWindowResubmits);
    row(out, "duplicate archives", duplicateArchives);
    row(out, "max time to terminal", maxTimeToTerminal.toMillis() / 1000.0 + " s");
    row(out, "slowest graceful stop", slowestGracefulStop.toMillis() / 1000.0 + " s");
    row(out, "most jobs at fal", mostJobsAtFal + " (limit " + EditflowStack.FAL_CONCURRENCY + ")");
    row(out, "faults injected", faultsInjected.size());
    faultsInjected.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                f -> f, TreeMap::new, java.util.stream.Collectors.counting()))
        .forEach((fault, count) -> row(out, "  " + fault, count));
    out.append("=".repeat(heading.length())).append("\n");
    return out.toString();
  }

  private static void row(StringBuilder out, String name, Object value) {
    out.append(String.format("%-28s %s%n", name, value));
  }
}
