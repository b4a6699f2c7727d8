package dev.editflow.worker.jobs;

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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests of the worker's own queries: the job store and those queries against real
 * PostgreSQL and RabbitMQ, without the worker's listeners and poller, which would race the tests.
 */
@SpringBootTest(
    classes = WorkerJobsIntegrationTest.WorkerQueries.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    // The service\'s readiness group names contributors this slice does not start.
    properties = "management.endpoint.health.validate-group-membership=false")
abstract class WorkerJobsIntegrationTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({JobStoreConfiguration.class, SubmitStarts.class, LookSchedule.class})
  static class WorkerQueries {}

  @Autowired EditJobs jobs;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
  }

  /** A new queued job of {@code owner} in {@code tier}. */
  EditJobId create(String owner, String tier) {
    NewEditJob job =
        new NewEditJob(
            EditJobId.generate(),
            owner,
            "a red balloon",
            "fal-ai/nano-banana/edit",
            new EditParameters(1, "1:1", "1K", "png", null),
            List.of(),
            null,
            null,
            null,
            new BigDecimal("0.04"),
            Instant.now().plus(Duration.ofMinutes(10)),
            tier);
    return jobs.create(job, "user:" + owner).id();
  }
}
