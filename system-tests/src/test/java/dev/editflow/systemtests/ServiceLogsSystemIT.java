package dev.editflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The services' logs of the whole system-test run (this class runs last, see {@link
 * ClassOrderer.OrderAnnotation} in junit-platform.properties): JSON lines, each line about a job
 * with its job, trace and span; one INFO line per status change; and no secret anywhere.
 */
@Order(Integer.MAX_VALUE)
class ServiceLogsSystemIT {

  private static final List<String> SERVICES =
      List.of("api-gateway", "edit-worker", "result-archiver");
  private static final Pattern JOB_ID = Pattern.compile("ed_[0-9A-Z]{26}");

  /** What must never be written to a log, with why. */
  private static final Map<String, Pattern> SECRETS =
      Map.of(
          "the fal key",
          Pattern.compile(Pattern.quote("system-tests-fal-key")),
          "a bearer token (JWT)",
          Pattern.compile("eyJ[\\w-]{8,}\\.eyJ[\\w-]{8,}\\.[\\w-]{8,}"),
          "the token signing secret",
          Pattern.compile(Pattern.quote(EditflowStack.JWT_SECRET)),
          "a webhook signing secret",
          Pattern.compile("whsec_[A-Za-z0-9+/=]{8,}"),
          "a presigned URL's signature",
          Pattern.compile("(?i)X-Amz-Signature="),
          "an S3 secret key",
          Pattern.compile(Pattern.quote(dev.editflow.testsupport.TestS3.SECRET_KEY)));

  static List<JsonNode> lines;

  @BeforeAll
  static void readLogs() {
    ObservedJobs.get();
    lines = new ArrayList<>();
    for (Path log : serviceLogs()) {
      for (String line : read(log).split("\n")) {
        if (line.startsWith("{")) {
          lines.add(EditflowApi.JSON.readTree(line));
        }
      }
    }
  }

  @Test
  void writesNoSecretToAnyLog() {
    List<String> leaks = new ArrayList<>();
    for (Path log : serviceLogs()) {
      String text = read(log);
      SECRETS.forEach(
          (what, pattern) -> {
            Matcher found = pattern.matcher(text);
            if (found.find()) {
              leaks.add(what + " in " + log.getFileName() + ": …" + around(text, found.start()));
            }
          });
    }
    assertThat(serviceLogs()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(leaks).isEmpty();
  }

  @Test
  void writesJsonLinesThatCarryTheJobTraceAndSpanOfEveryStatusChange() {
    List<JsonNode> changes =
        lines.stream()
            .filter(
                line -> "dev.editflow.jobs.transitions".equals(line.at("/log/logger").asString()))
            .toList();
    assertThat(lines).hasSizeGreaterThan(100);
    assertThat(changes).hasSizeGreaterThan(10);
    assertThat(changes)
        .allSatisfy(
            line -> {
              Matcher id = JOB_ID.matcher(line.path("message").asString());
              assertThat(id.find()).as(line.toString()).isTrue();
              assertThat(line.path("jobId").asString()).as(line.toString()).isEqualTo(id.group());
              assertThat(line.path("traceId").asString()).as(line.toString()).hasSize(32);
              assertThat(line.path("spanId").asString()).as(line.toString()).hasSize(16);
            });
  }

  @Test
  void tellsAJobsStoryInOrderWithOneInfoLinePerStatusChange() {
    ObservedJobs jobs = ObservedJobs.get();
    assertThat(story(jobs.succeeded))
        .first()
        .asString()
        .contains("is QUEUED, by user:")
        .endsWith(": accepted");
    assertThat(story(jobs.succeeded))
        .filteredOn(line -> !line.contains("is IN_PROGRESS"))
        .satisfiesExactly(
            accepted -> assertThat(accepted).contains("is QUEUED"),
            submitted -> assertThat(submitted).containsPattern("is SUBMITTED .*: fal request \\S+"),
            falDone ->
                assertThat(falDone).contains("is ARCHIVING", "fal completed with 2 image(s)"),
            archived ->
                assertThat(archived)
                    .containsPattern("is SUCCEEDED .*: archived 2 output\\(s\\), \\d+ bytes"));
    assertThat(story(jobs.failed)).last().asString().contains("is FAILED", "CONTENT_POLICY");
    assertThat(story(jobs.cancelled)).last().asString().contains("is CANCELLED", "by user:");
  }

  /** The job's INFO lines of all three services, in time order. */
  private static List<String> story(String jobId) {
    return lines.stream()
        .filter(line -> line.path("message").asString().contains(jobId))
        .filter(line -> "INFO".equals(line.at("/log/level").asString()))
        .sorted(Comparator.comparing(line -> line.path("@timestamp").asString()))
        .map(line -> line.path("message").asString())
        .toList();
  }

  private static List<Path> serviceLogs() {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".log"))
          .filter(
              f -> SERVICES.stream().anyMatch(s -> f.getFileName().toString().startsWith(s + "-")))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String around(String text, int at) {
    return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40))
        .replace('\n', ' ');
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
