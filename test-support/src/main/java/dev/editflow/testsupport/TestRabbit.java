package dev.editflow.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
  private final boolean local;

  private TestRabbit(String host, int port, String virtualHost, boolean local) {
    this.host = host;
    this.port = port;
    this.virtualHost = virtualHost;
    this.local = local;
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
    if (!local) {
      throw new UnsupportedOperationException("closing connections needs the local broker");
    }
    rabbitmqctl("close_all_connections", "-p", virtualHost, "editflow test: connection dropped");
  }

  /**
   * The channels each client connection to this vhost has open, one entry per connection (local
   * broker only).
   */
  public List<Integer> channelsPerConnection() {
    if (!local) {
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
    if (Docker.available()) {
      RabbitMQContainer container = new RabbitMQContainer("rabbitmq:4.1-management");
      container.start();
      return new TestRabbit(container.getHost(), container.getAmqpPort(), "/", false);
    }
    String host = System.getenv().getOrDefault("EDITFLOW_TEST_RABBIT_HOST", "127.0.0.1");
    String vhost = "editflow-test-" + UUID.randomUUID().toString().substring(0, 8);
    rabbitmqctl("add_vhost", vhost);
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    Teardown.atExit(() -> deleteQuietly(vhost));
    LOG.info("No Docker engine; tests use vhost {} on the local RabbitMQ.", vhost);
    int port = Integer.parseInt(System.getenv().getOrDefault("EDITFLOW_TEST_RABBIT_PORT", "5672"));
    return new TestRabbit(host, port, vhost, true);
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
