package dev.editflow.jobs;

import dev.editflow.testsupport.TestPostgres;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Base of job-store tests: the store against real PostgreSQL. */
@SpringBootTest(classes = JobStoreTestApplication.class)
abstract class JobStoreIntegrationTest {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
  }
}
