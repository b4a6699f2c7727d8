package dev.editflow.gateway.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.jobs.EditJob;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway's reads of an owner's jobs, against real PostgreSQL, without the web layer. */
@SpringBootTest(
    classes = JobsByOwnerIT.GatewayQueries.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    // The service\'s readiness group names contributors this slice does not start.
    properties = "management.endpoint.health.validate-group-membership=false")
class JobsByOwnerIT {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({JobStoreConfiguration.class, JobsByOwner.class})
  static class GatewayQueries {}

  @Autowired EditJobs jobs;
  @Autowired JobsByOwner owners;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
  }

  @Test
  void listsAnOwnersJobsNewestFirstWithACursor() {
    String lister = "lister-" + UUID.randomUUID();
    List<EditJobId> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(jobs.create(job(lister, null), "user:lister").id());
    }
    jobs.create(job("someone-else", null), "user:someone-else");

    List<EditJob> first = owners.list(lister, null, 3, null);
    List<EditJob> second = owners.list(lister, null, 3, first.getLast().id());

    assertThat(first)
        .extracting(EditJob::id)
        .containsExactly(created.get(4), created.get(3), created.get(2));
    assertThat(second).extracting(EditJob::id).containsExactly(created.get(1), created.get(0));
    assertThat(owners.find(created.get(0), "someone-else")).isEmpty();
    assertThat(owners.find(created.get(0), lister)).isPresent();
  }

  @Test
  void findsAnOwnersJobByItsIdempotencyKeyOnly() {
    String owner = "keeper-" + UUID.randomUUID();
    EditJobId id = jobs.create(job(owner, "key-1"), "user:keeper").id();

    assertThat(owners.findByIdempotencyKey(owner, "key-1")).map(EditJob::id).contains(id);
    assertThat(owners.findByIdempotencyKey("someone-else", "key-1")).isEmpty();
  }

  private static NewEditJob job(String owner, @Nullable String idempotencyKey) {
    return new NewEditJob(
        EditJobId.generate(),
        owner,
        "a blue kite",
        "fal-ai/nano-banana/edit",
        new EditParameters(1, "1:1", "1K", "png", null),
        List.of(),
        null,
        idempotencyKey,
        null,
        new BigDecimal("0.04"),
        Instant.now().plus(Duration.ofMinutes(10)));
  }
}
