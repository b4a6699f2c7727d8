package dev.editflow.testsupport;

import dev.editflow.stack.UnitTier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * A RabbitMQ virtual host of its own for this test JVM: a Testcontainers broker when Docker is
 * available, otherwise a fresh vhost on the machine's broker (127.0.0.1:5672, guest/guest, created
 * with {@code rabbitmqctl}), so builds running side by side never consume each other's messages.
 * {@code EDITFLOW_TEST_RABBIT_PORT} points at another local node (whose name {@code rabbitmqctl}
 * then reads from {@code RABBITMQ_NODENAME}), as {@code bin/soak} and {@code bin/chaos-run} do.
 */
public final class TestRabbit {

  private static final Logger LOG = LoggerFactory.getLogger(TestRabbit.class);

  private final String host;
  private final int port;
  private final String virtualHost;
  private final @Nullable RabbitMQContainer container;

  private TestRabbit(
      String host, int port, String virtualHost, @Nullable RabbitMQContainer container) {
    this.host = host;
    this.port = port;
    this.virtualHost = virtualHost;
    this.container = container;
  }

  private static final class Holder {
    static final TestRabbit INSTANCE = start();
  }

  public static TestRabbit get() {
    return Holder.INSTANCE;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String virtualHost() {
    return virtualHost;
  }

  /** An AMQP URI with credentials and the vhost, e.g. for processes started by a test. */
  public String uri() {
    String vhost = "/".equals(virtualHost) ? "%2F" : virtualHost;
    return "amqp://guest:guest@" + host + ":" + port + "/" + vhost;
  }

  /** Registers {@code spring.rabbitmq.*} for this broker and vhost. */
  public void register(DynamicPropertyRegistry registry) {
    registry.add("spring.rabbitmq.host", this::host);
    registry.add("spring.rabbitmq.port", this::port);
    registry.add("spring.rabbitmq.username", () -> "guest");
    registry.add("spring.rabbitmq.password", () -> "guest");
    registry.add("spring.rabbitmq.virtual-host", this::virtualHost);
  }

  /**
   * Closes every client connection to this vhost, as a network blip or a broker failover would;
   * clients must recover by themselves.
   */
  public void closeAllConnections() {
    broker("close_all_connections", "-p", virtualHost, "editflow test: connection dropped");
  }

  /**
   * Stops and starts the broker application, as a broker restart does: every connection is cut
   * until it is back; durable queues keep their persistent messages. On the machine's own broker
   * this affects every vhost, so only tests that may disturb others call it.
   */
  public void restartBroker() {
    broker("stop_app");
    broker("start_app");
    broker("await_startup");
  }

  private void broker(String... arguments) {
    if (container == null) {
      rabbitmqctl(arguments);
      return;
    }
    try {
      String[] command = new String[arguments.length + 2];
      command[0] = "rabbitmqctl";
      command[1] = "-q";
      System.arraycopy(arguments, 0, command, 2, arguments.length);
      var result = container.execInContainer(command);
      if (result.getExitCode() != 0) {
        throw new IllegalStateException(String.join(" ", command) + ": " + result.getStderr());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The channels each client connection to this vhost has open, one entry per connection (local
   * broker only).
   */
  public List<Integer> channelsPerConnection() {
    if (container != null) {
      throw new UnsupportedOperationException("listing connections needs the local broker");
    }
    return rabbitmqctl("list_connections", "-p", virtualHost, "--no-table-headers", "channels")
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .map(Integer::valueOf)
        .toList();
  }

  private static TestRabbit start() {
    UnitTier.refuse("RabbitMQ");
    if (Docker.available()) {
      RabbitMQContainer container = new RabbitMQContainer("rabbitmq:4.1-management");
      container.start();
      return new TestRabbit(container.getHost(), container.getAmqpPort(), "/", container);
    }
    String host = System.getenv().getOrDefault("EDITFLOW_TEST_RABBIT_HOST", "127.0.0.1");
    String vhost = "editflow-test-" + UUID.randomUUID().toString().substring(0, 8);
    rabbitmqctl("add_vhost", vhost);
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    Teardown.atExit(() -> deleteQuietly(vhost));
    LOG.info("No Docker engine; tests use vhost {} on the local RabbitMQ.", vhost);
    int port = Integer.parseInt(System.getenv().getOrDefault("EDITFLOW_TEST_RABBIT_PORT", "5672"));
    return new TestRabbit(host, port, vhost, null);
  }

  private static void deleteQuietly(String vhost) {
    try {
      rabbitmqctl("delete_vhost", vhost);
    } catch (RuntimeException e) {
      LOG.warn("Could not delete test vhost {}: {}", vhost, e.getMessage());
    }
  }

  private static String rabbitmqctl(String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "No Docker engine, and `"
                + String.join(" ", command)
                + "` failed: "
                + new String(output, StandardCharsets.UTF_8)
                + " (is RabbitMQ running? start it with: rabbitmq-server -detached)");
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(
          "No Docker engine and no rabbitmqctl on PATH to isolate tests on the local RabbitMQ", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
