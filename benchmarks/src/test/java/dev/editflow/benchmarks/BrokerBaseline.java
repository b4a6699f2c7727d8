package dev.editflow.benchmarks;

import dev.editflow.testsupport.TestRabbit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw broker throughput with RabbitMQ PerfTest ({@code com.rabbitmq:perf-test}) against the same
 * broker and vhost, with editflow's settings: a quorum queue, persistent messages, publisher
 * confirms, manual consumer acks, message size like editflow's JSON messages. Runs as its own
 * process (from this module's test classpath) so it competes for the CPU like a service does.
 */
final class BrokerBaseline {

  /** PerfTest's averages. */
  record Rates(double sentPerSecond, double receivedPerSecond, String command) {}

  private static final Pattern SENT = Pattern.compile("sending rate avg: ([0-9.]+) msg/s");
  private static final Pattern RECEIVED = Pattern.compile("receiving rate avg: ([0-9.]+) msg/s");

  private BrokerBaseline() {}

  static Rates measure(Duration duration, int messageBytes, int outstandingConfirms) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("com.rabbitmq.perf.PerfTest");
    List<String> arguments =
        List.of(
            "--uri",
            TestRabbit.get().uri(),
            "--quorum-queue",
            "--queue",
            "benchmarks.perftest",
            "--flag",
            "persistent",
            "--confirm",
            String.valueOf(outstandingConfirms),
            "--size",
            String.valueOf(messageBytes),
            "--producers",
            "1",
            "--consumers",
            "1",
            "--time",
            String.valueOf(duration.toSeconds()));
    command.addAll(arguments);
    Path log = Path.of("target", "perftest.log");
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("PerfTest did not finish; see " + log.toAbsolutePath());
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      return new Rates(
          rate(SENT, output, log),
          rate(RECEIVED, output, log),
          "PerfTest " + String.join(" ", arguments.subList(2, arguments.size())));
    } catch (IOException e) {
      throw new IllegalStateException("Could not run PerfTest", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double rate(Pattern pattern, String output, Path log) {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException("No PerfTest summary; see " + log.toAbsolutePath());
    }
    return Double.parseDouble(matcher.group(1));
  }
}
