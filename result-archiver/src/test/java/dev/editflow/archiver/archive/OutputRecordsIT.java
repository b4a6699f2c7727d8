package dev.editflow.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.ArchivedOutput;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.JobStoreConfiguration;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.model.EditJobId;
import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The archiver's record of its outputs, against real PostgreSQL, without the archiver running. */
@SpringBootTest(
    classes = OutputRecordsIT.ArchiverQueries.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    // The service\'s readiness group names contributors this slice does not start.
    properties = "management.endpoint.health.validate-group-membership=false")
class OutputRecordsIT {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({JobStoreConfiguration.class, OutputRecords.class})
  static class ArchiverQueries {}

  @Autowired EditJobs jobs;
  @Autowired OutputRecords outputs;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
  }

  @Test
  void recordsEachOutputOnceWhateverTheRedeliveries() {
    EditJobId id = jobs.create(job(), "user:archivist").id();

    assertThat(outputs.record(id, output(0))).isTrue();
    assertThat(outputs.record(id, output(0))).as("redelivery").isFalse();
    assertThat(outputs.record(id, output(1))).isTrue();

    assertThat(jobs.outputs(id)).extracting(ArchivedOutput::index).containsExactly(0, 1);
  }

  private static NewEditJob job() {
    return new NewEditJob(
        EditJobId.generate(),
        "archivist",
        "a green door",
        "fal-ai/nano-banana/edit",
        new EditParameters(2, "1:1", "1K", "png", null),
        List.of(),
        null,
        null,
        null,
        new BigDecimal("0.08"),
        Instant.now().plus(Duration.ofMinutes(10)));
  }

  private static ArchivedOutput output(int index) {
    return new ArchivedOutput(
        index, "outputs/x/" + index + ".png", "image/png", 1, 1, 10, "0".repeat(64), Instant.now());
  }
}
