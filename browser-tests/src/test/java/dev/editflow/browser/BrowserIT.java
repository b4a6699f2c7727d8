package dev.editflow.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Starts the real local stack ({@code local-stack.jar}: embedded PostgreSQL, S3 and broker, the
 * fal-simulator and the three services) on free ports with its own data directory, then runs the
 * Node tests in {@code src/test/js}: the demo in Debian's headless Chromium through
 * playwright-core, and {@code @editflow/client} in Node with a Standard Webhooks delivery. Each
 * Node test becomes a test here. Needs node 20.19+, npm and Chromium ({@code apt-get install nodejs
 * npm chromium}): without them it fails, it never skips.
 */
class BrowserIT {

  /** Low enough that test 5 reaches it with a few jobs. */
  static final int MAX_ACTIVE_JOBS = 3;

  private static final Path JS = Path.of("src/test/js");
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Duration STACK_START = Duration.ofMinutes(10);

  private static Process stack;
  private static Path stackLog;
  private static Map<String, String> environment;
  private static Path data;

  @BeforeAll
  static void startLocalStack() throws Exception {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      fail(
          chromium
              + " is missing: the browser tests drive Debian's Chromium (apt-get install chromium),"
              + " or set CHROMIUM to another Chromium binary");
    }
    executable("node");
    executable("npm");
    Path repository = repositoryRoot();
    Path jar = repository.resolve("local-stack/target/local-stack.jar");
    assertThat(jar).as("build the jars first: ./mvnw -DskipTests package").exists();

    data = TARGET.resolve("local-stack-data");
    deleteRecursively(data);
    int gateway = freePort();
    int simulator = freePort();
    environment =
        Map.of(
            "EDITFLOW_URL",
            "http://localhost:" + gateway,
            "SIMULATOR_URL",
            "http://127.0.0.1:" + simulator,
            "SCREENSHOTS",
            TARGET.resolve("screenshots").toString(),
            "CHROMIUM",
            chromium,
            "MAX_ACTIVE_JOBS",
            String.valueOf(MAX_ACTIVE_JOBS));

    List<String> command =
        List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile());
    Map<String, String> env = builder.environment();
    env.put("EDITFLOW_DATA_DIR", data.toString());
    env.put("EDITFLOW_GATEWAY_PORT", String.valueOf(gateway));
    env.put("EDITFLOW_SIMULATOR_PORT", String.valueOf(simulator));
    for (String port :
        List.of(
            "EDITFLOW_POSTGRES_PORT",
            "EDITFLOW_S3_PORT",
            "EDITFLOW_AMQP_PORT",
            "EDITFLOW_WORKER_PORT",
            "EDITFLOW_ARCHIVER_PORT")) {
      env.put(port, String.valueOf(freePort()));
    }
    // Read by the services the stack starts (they inherit this environment).
    env.put("EDITFLOW_GATEWAY_LIMITS_MAX_ACTIVE_JOBS", String.valueOf(MAX_ACTIVE_JOBS));
    env.put("EDITFLOW_SIMULATOR_OUTPUT_LONG_SIDE", "512");
    for (String name :
        List.of("EDITFLOW_DB_URL", "EDITFLOW_RABBITMQ_HOST", "EDITFLOW_S3_ENDPOINT", "FAL_KEY")) {
      env.remove(name); // everything embedded, as on a fresh clone
    }
    stackLog = TARGET.resolve("local-stack.log");
    Files.createDirectories(TARGET);
    stack = builder.redirectErrorStream(true).redirectOutput(stackLog.toFile()).start();
    long deadline = System.nanoTime() + STACK_START.toNanos();
    while (!Files.readString(stackLog).contains("editflow is ready")) {
      if (!stack.isAlive()) {
        fail("The local stack exited while starting:\n" + tail(stackLog));
      }
      if (System.nanoTime() > deadline) {
        fail("The local stack was not ready within " + STACK_START + ":\n" + tail(stackLog));
      }
      Thread.sleep(500);
    }
  }

  @AfterAll
  static void stopLocalStack() throws InterruptedException {
    if (stack == null) {
      return;
    }
    List<ProcessHandle> services = stack.descendants().toList();
    stack.destroy(); // SIGTERM: the stack stops its services, then the embedded parts
    if (!stack.waitFor(90, TimeUnit.SECONDS)) {
      stack.destroyForcibly();
      services.forEach(ProcessHandle::destroyForcibly);
      // The embedded PostgreSQL runs detached: find it by its data directory.
      ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains(data.toString()))
          .forEach(ProcessHandle::destroy);
    }
  }

  @TestFactory
  Stream<DynamicTest> demoInChromiumAndClientInNode() throws Exception {
    run(JS, Duration.ofMinutes(5), Map.of(), "npm", "ci", "--no-audit", "--no-fund");
    Path report = TARGET.resolve("node-tests.xml");
    Files.deleteIfExists(report);
    Process node =
        run(
            JS,
            Duration.ofMinutes(15),
            environment,
            "node",
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
            "--test-reporter-destination=stdout",
            "--test-reporter=junit",
            "--test-reporter-destination=" + report,
            "demo.test.mjs",
            "webhook.test.mjs");
    List<DynamicTest> tests = testsOf(report);
    assertThat(tests).as("the Node tests ran (see the output above)").isNotEmpty();
    if (node.exitValue() != 0
        && tests.stream().noneMatch(t -> t.getDisplayName().startsWith("✗"))) {
      fail("node --test exited " + node.exitValue() + " without a failed test; see its output");
    }
    return tests.stream();
  }

  /** One test per Node test case, failing with its message when it failed. */
  private static List<DynamicTest> testsOf(Path report) throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    if (!Files.exists(report)) {
      return tests;
    }
    var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
    NodeList cases = document.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element testCase = (Element) cases.item(i);
      NodeList failures = testCase.getElementsByTagName("failure");
      String name = testCase.getAttribute("name");
      if (failures.getLength() == 0) {
        tests.add(DynamicTest.dynamicTest(name, () -> {}));
      } else {
        Element failure = (Element) failures.item(0);
        String message = failure.getAttribute("message") + "\n" + failure.getTextContent();
        tests.add(DynamicTest.dynamicTest("✗ " + name, () -> fail(message)));
      }
    }
    return tests;
  }

  private static Process run(Path dir, Duration timeout, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    // Through System.out, which Surefire captures: a child writing to this JVM's own stdout
    // would corrupt Surefire's channel.
    Thread.ofVirtual()
        .start(
            () ->
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .lines()
                    .forEach(System.out::println));
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + timeout);
    }
    if (command[0].equals("npm") && process.exitValue() != 0) {
      fail(String.join(" ", command) + " failed (exit " + process.exitValue() + ")");
    }
    return process;
  }

  private static void executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return;
      }
    }
    fail(
        name
            + " is not on PATH: the browser tests need Node.js 20.19+ and npm (apt-get install"
            + " nodejs npm)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("inside the editflow checkout").isNotNull();
    return dir;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
