package dev.editflow.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the job core the only code that writes a job's status: every main source tree of the
 * repository is read from the file system and searched for SQL that sets or inserts the status of
 * the jobs table. A service that needs a new status change adds a {@link Transition} instead.
 */
class OnlyTheJobCoreWritesStatusTests {

  private static final String JOBS_TABLE = "edit_job";
  private static final Path CORE =
      Path.of("job-store/src/main/java/dev/editflow/jobs/EditJobs.java");

  /** {@code update edit_job [alias] set <assignments>}, up to the end of its set clause. */
  private static final Pattern UPDATE =
      Pattern.compile(
          "\\bupdate\\s+"
              + JOBS_TABLE
              + "(?:\\s+(?!set\\b)\\w+)?\\s+set\\s+(.*?)(?:\\bwhere\\b|\\bfrom\\b|\\breturning\\b|\"|;|\\z)",
          Pattern.DOTALL);

  private static final Pattern INSERT =
      Pattern.compile("\\binsert\\s+into\\s+" + JOBS_TABLE + "\\s*\\(([^)]*)\\)");

  private static final Pattern STATUS_ASSIGNED = Pattern.compile("(?:^|[\\s,.])status\\s*=");
  private static final Pattern STATUS_COLUMN = Pattern.compile("(?:^|[\\s,])status(?:$|[\\s,])");

  @Test
  void noMainSourceOutsideTheJobCoreWritesTheStatusOfAJob() {
    List<Path> writers =
        mainSources().filter(source -> writesStatus(read(source))).map(this::relative).toList();

    assertThat(writers).containsExactly(CORE);
  }

  @Test
  void theGuardLooksAtTheTableThatHoldsTheStatus() throws IOException {
    String migration =
        Files.readString(
            root().resolve("job-store/src/main/resources/db/migration/V1__edit_jobs.sql"));

    assertThat(migration).containsPattern("create table " + JOBS_TABLE + " \\(");
    assertThat(migration).containsPattern("\\n\\s+status\\s+varchar");
  }

  @Test
  void tellsAStatusWriteFromAQueryThatOnlyFiltersOnStatus() {
    assertThat(writesStatus("update edit_job set status = :to, updated_at = :now")).isTrue();
    assertThat(writesStatus("update edit_job j set reason = 'x', j.status = 'FAILED' where id = 1"))
        .isTrue();
    assertThat(writesStatus("update edit_job set \" + \"status = 'FAILED'")).isTrue();
    assertThat(writesStatus("insert into edit_job (id, owner_id, status) values (1, 2, 'QUEUED')"))
        .isTrue();

    assertThat(writesStatus("update edit_job set next_poll_at = :now where status = 'QUEUED'"))
        .isFalse();
    assertThat(writesStatus("update edit_job set fal_status_url = null where id = :id")).isFalse();
    assertThat(writesStatus("update edit_job_transition set status = 'X'")).isFalse();
    assertThat(writesStatus("insert into edit_job_transition (job_id, to_status) values (1, 2)"))
        .isFalse();
  }

  private static boolean writesStatus(String source) {
    // Adjacent literals joined, so that SQL split over concatenated strings reads as one.
    String sql = source.toLowerCase(Locale.ROOT).replaceAll("\"\\s*\\+\\s*\"", "");
    Matcher update = UPDATE.matcher(sql);
    while (update.find()) {
      if (STATUS_ASSIGNED.matcher(update.group(1)).find()) {
        return true;
      }
    }
    Matcher insert = INSERT.matcher(sql);
    while (insert.find()) {
      if (STATUS_COLUMN.matcher(insert.group(1)).find()) {
        return true;
      }
    }
    return false;
  }

  private static Stream<Path> mainSources() {
    try (Stream<Path> modules = Files.list(root())) {
      List<Path> trees =
          modules
              .map(module -> module.resolve("src/main/java"))
              .filter(Files::isDirectory)
              .toList();
      assertThat(trees).as("main source trees").hasSizeGreaterThan(5);
      return trees.stream().flatMap(OnlyTheJobCoreWritesStatusTests::javaFiles);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> javaFiles(Path tree) {
    try (Stream<Path> files = Files.walk(tree)) {
      return files.filter(file -> file.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path source) {
    try {
      return Files.readString(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path relative(Path source) {
    return root().relativize(source);
  }

  /** The repository's root: the tests run in the module's directory or in the root itself. */
  private static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("job-store")) ? here : here.getParent();
  }
}
