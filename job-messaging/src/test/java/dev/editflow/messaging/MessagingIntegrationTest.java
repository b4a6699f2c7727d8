package dev.editflow.messaging;

import dev.editflow.testsupport.TestPostgres;
import dev.editflow.testsupport.TestRabbit;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of job-messaging tests: the outbox and the consumer rules against real PostgreSQL and
 * RabbitMQ.
 */
@SpringBootTest(classes = MessagingTestApplication.class)
public abstract class MessagingIntegrationTest {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestPostgres.get().register(registry);
    TestRabbit.get().register(registry);
  }
}
