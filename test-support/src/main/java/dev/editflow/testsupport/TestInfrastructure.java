package dev.editflow.testsupport;

import dev.editflow.stack.Infrastructure;

/** This test JVM's own database, vhost and S3 endpoint, as service processes are given them. */
public final class TestInfrastructure {

  private TestInfrastructure() {}

  /** Starts (or finds) {@link TestPostgres}, {@link TestRabbit} and {@link TestS3}. */
  public static Infrastructure get() {
    TestPostgres postgres = TestPostgres.get();
    TestRabbit rabbit = TestRabbit.get();
    TestS3 s3 = TestS3.get();
    return new Infrastructure(
        postgres.jdbcUrl(),
        postgres.username(),
        postgres.password(),
        rabbit.host(),
        rabbit.port(),
        rabbit.virtualHost(),
        s3.endpoint().toString(),
        TestS3.ACCESS_KEY,
        TestS3.SECRET_KEY,
        TestS3.BUCKET);
  }
}
