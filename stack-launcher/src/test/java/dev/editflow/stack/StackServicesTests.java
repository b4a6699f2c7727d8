package dev.editflow.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackServicesTests {

  private static final Infrastructure INFRASTRUCTURE =
      new Infrastructure(
          "jdbc:postgresql://db:5432/editflow",
          "editflow",
          "secret",
          "broker",
          5673,
          "tests",
          "http://s3:9000",
          "access",
          "s3-secret",
          "results");

  @TempDir Path repository;

  @BeforeEach
  void jars() throws IOException {
    for (String module :
        new String[] {"fal-simulator", "api-gateway", "edit-worker", "result-archiver"}) {
      Files.createDirectories(repository.resolve(module).resolve("target"));
      Files.createFile(repository.resolve(module).resolve("target").resolve(module + ".jar"));
    }
  }

  private StackServices services() {
    return new StackServices(INFRASTRUCTURE).repository(repository);
  }

  @Test
  void pointsEveryServiceButTheSimulatorAtTheInfrastructure() {
    StackServices services = services().with("spring.datasource.hikari.maximum-pool-size", 6);

    assertThat(services.gateway().port(8080).build().command())
        .contains(
            "--server.port=8080",
            "--spring.profiles.active=local",
            "--spring.datasource.url=jdbc:postgresql://db:5432/editflow",
            "--spring.rabbitmq.port=5673",
            "--spring.rabbitmq.virtual-host=tests",
            "--editflow.s3.bucket=results",
            "--spring.datasource.hikari.maximum-pool-size=6");
    assertThat(services.simulator().build().command())
        .noneMatch(argument -> argument.startsWith("--spring.datasource"));
  }

  @Test
  void leavesTheVirtualHostToTheServiceWhenNoneIsGiven() {
    Infrastructure defaultVirtualHost =
        new Infrastructure(
            "jdbc:postgresql://db:5432/editflow",
            "editflow",
            "secret",
            "broker",
            5672,
            null,
            "http://s3:9000",
            "access",
            "s3-secret",
            "results");

    assertThat(
            new StackServices(defaultVirtualHost).repository(repository).worker().build().command())
        .contains("--spring.rabbitmq.host=broker")
        .noneMatch(argument -> argument.startsWith("--spring.rabbitmq.virtual-host"));
  }

  @Test
  void wiresWorkersAndArchiversToTheSimulator() {
    StackServices services =
        services().simulatedFal(URI.create("http://127.0.0.1:4010"), "simulator-key");

    assertThat(services.worker().build().command())
        .contains(
            "--editflow.fal.base-url=http://127.0.0.1:4010", "--editflow.fal.key=simulator-key");
    assertThat(services.archiver("media.example:80").build().command())
        .contains(
            "--editflow.archiver.media.allowed-hosts=media.example:80,127.0.0.1:4010",
            "--editflow.archiver.media.allow-http=true",
            "--editflow.archiver.media.allow-loopback=true");
  }

  @Test
  void leavesFalToTheWorkerWithoutSimulator() {
    assertThat(services().worker().build().command())
        .noneMatch(argument -> argument.startsWith("--editflow.fal."));
  }

  @Test
  void logsToTheGivenDirectoryOrTarget() {
    Path logs = repository.resolve("logs");

    assertThat(services().logs(logs).worker().build().log())
        .isEqualTo(logs.resolve("edit-worker.log"));
    ServiceProcess worker = services().worker().build();
    assertThat(worker.log()).isEqualTo(Path.of("target", "edit-worker-" + worker.port() + ".log"));
  }

  @Test
  void runsTheJarWithASmallHeapThatExitsWhenFull() {
    assertThat(services().gateway().maxHeap("512m").jvmOption("-Dx=1").build().command())
        .containsSubsequence(
            "-Xmx512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dx=1",
            "-jar",
            repository.resolve("api-gateway/target/api-gateway.jar").toString());
  }

  @Test
  void refusesAMissingJar() {
    assertThatThrownBy(() -> ServiceProcess.of("job-store").repository(repository).build())
        .isInstanceOf(ServiceNotStarted.class)
        .hasMessageContaining("job-store.jar is missing");
  }

  @Test
  void refusesToStartProcessesInTheUnitTier() {
    ServiceProcess gateway = services().gateway().build();
    String tier = System.setProperty("editflow.tests.tier", "unit");
    try {
      assertThatThrownBy(gateway::launch)
          .hasMessageContaining("A unit test (*Tests) asked for a service process");
    } finally {
      if (tier == null) {
        System.clearProperty("editflow.tests.tier");
      } else {
        System.setProperty("editflow.tests.tier", tier);
      }
    }
  }

  @Test
  void namesHowAProcessEnded() {
    assertThat(ServiceProcess.exitReason(3)).isEqualTo("ran out of memory (exit code 3)");
    assertThat(ServiceProcess.exitReason(137)).isEqualTo("was killed (SIGKILL)");
    assertThat(ServiceProcess.exitReason(1)).isEqualTo("exited with code 1");
  }
}
