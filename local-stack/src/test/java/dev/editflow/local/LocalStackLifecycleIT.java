package dev.editflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.editflow.stack.ServiceProcess;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack lives and dies as one, run as users run it (the packaged jar, on its own ports
 * and data directory): a kill -9 of the launcher with jobs in flight ends every process it started
 * within seconds; a new start on the same data directory finishes every accepted job; a service
 * that dies is started again; a second launcher on the same data directory is refused; and a start
 * clears what a run killed together with its watchdog left behind, and a failed start exits
 * non-zero with one line and leaves nothing running.
 */
class LocalStackLifecycleIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration START = Duration.ofMinutes(8);
  private static final int JOBS = 6;

  @TempDir Path dataDir;
  private final Map<String, String> env = new HashMap<>();
  private final List<Launcher> launchers = new ArrayList<>();
  private int gatewayPort;

  @AfterEach
  void stopEverything() throws Exception {
    for (Launcher launcher : launchers) {
      List<ProcessHandle> started = launcher.process().descendants().toList();
      launcher.process().destroyForcibly();
      started.forEach(ProcessHandle::destroyForcibly);
    }
    RunDirectory.postmaster(dataDir.resolve("postgres")).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void livesAndDiesAsOne() throws Exception {
    env.put("EDITFLOW_DATA_DIR", dataDir.toString());
    for (String part :
        List.of("POSTGRES", "S3", "AMQP", "GATEWAY", "WORKER", "ARCHIVER", "SIMULATOR")) {
      env.put("EDITFLOW_" + part + "_PORT", String.valueOf(ServiceProcess.freePort()));
    }
    gatewayPort = Integer.parseInt(env.get("EDITFLOW_GATEWAY_PORT"));

    Launcher first = started("first");
    assertThat(first.consoleLines())
        .as("a short console: one line per part, then the banner")
        .hasSizeLessThan(30)
        .noneMatch(line -> line.contains("qpid") || line.contains("FAILURE"));
    assertThat(childCommandLines(first))
        .hasSize(4)
        .allMatch(args -> args.contains("-XX:+ExitOnOutOfMemoryError"));

    String token = token("newcomer");
    assertThat(
            submit(token, Map.of("webhookUrl", "http://169.254.169.254/latest/meta-data/"))
                .json()
                .get("code")
                .asString())
        .isEqualTo("WEBHOOK_URL_NOT_ALLOWED");

    Launcher second = launch("second");
    assertThat(second.awaitExit(120)).as("a second launcher on the same data dir").isEqualTo(1);
    assertThat(errors(second))
        .singleElement()
        .asString()
        .contains("another editflow local stack")
        .contains(String.valueOf(first.process().pid()));

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      Response accepted = submit(token, Map.of());
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      ids.add(accepted.json().get("id").asString());
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> ids.stream().anyMatch(id -> !status(token, id).equals("QUEUED")));

    List<ProcessHandle> stack = stackProcesses(first);
    assertThat(stack).hasSizeGreaterThanOrEqualTo(6);
    first.process().destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(stack)
                    .as("the stack after kill -9 of its launcher")
                    .noneMatch(ProcessHandle::isAlive));

    Launcher third = started("third");
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(ids)
                    .as("every accepted job, after the restart")
                    .allMatch(id -> status(token, id).equals("SUCCEEDED")));

    ProcessHandle worker = child(third, "edit-worker.jar");
    worker.destroyForcibly();
    await().atMost(START).until(() -> third.console().contains("edit-worker is up again"));
    assertThat(third.console()).contains("edit-worker was killed (SIGKILL); restarting it");

    // The launcher and its watchdog die together: nothing is left to stop the services.
    List<ProcessHandle> leftovers = stackProcesses(third);
    ProcessHandle watchdog = recorded("watchdog");
    watchdog.destroyForcibly();
    third.process().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !third.process().isAlive());
    assertThat(leftovers.stream().filter(ProcessHandle::isAlive))
        .as("services and database left running")
        .hasSizeGreaterThanOrEqualTo(4);

    try (ServerSocket inTheWay = new ServerSocket(0)) {
      env.put("EDITFLOW_WORKER_PORT", String.valueOf(inTheWay.getLocalPort()));
      Launcher fourth = launch("fourth");
      assertThat(fourth.awaitExit(180)).as("a start that cannot go on").isEqualTo(1);
      assertThat(fourth.console())
          .contains("Stopped what an earlier run left running here:")
          .contains("api-gateway (pid ");
      assertThat(errors(fourth))
          .singleElement()
          .asString()
          .contains("port " + inTheWay.getLocalPort() + " (edit-worker) is in use")
          .contains("EDITFLOW_WORKER_PORT");
      assertThat(leftovers).noneMatch(ProcessHandle::isAlive);
      assertThat(fourth.process().descendants().filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(RunDirectory.postmaster(dataDir.resolve("postgres"))).isEmpty();
    }
  }

  private Launcher launch(String name) {
    Launcher launcher = Launcher.start(env, name);
    launchers.add(launcher);
    return launcher;
  }

  private Launcher started(String name) {
    Launcher launcher = launch(name);
    await()
        .atMost(START)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> launcher.isReady() || !launcher.process().isAlive());
    assertThat(launcher.isReady()).as(launcher.console()).isTrue();
    return launcher;
  }

  private static List<String> errors(Launcher launcher) {
    return launcher.consoleLines().stream().filter(l -> l.contains(" ERROR ")).toList();
  }

  /** The launcher's processes and the database it started, as they are now. */
  private List<ProcessHandle> stackProcesses(Launcher launcher) {
    List<ProcessHandle> all = new ArrayList<>(launcher.process().descendants().toList());
    RunDirectory.postmaster(dataDir.resolve("postgres"))
        .filter(p -> all.stream().noneMatch(d -> d.pid() == p.pid()))
        .ifPresent(all::add);
    return all;
  }

  private static List<String> childCommandLines(Launcher launcher) {
    return launcher
        .process()
        .children()
        .map(p -> String.join(" ", p.info().arguments().orElse(new String[0])))
        .filter(args -> args.contains(".jar"))
        .toList();
  }

  private static ProcessHandle child(Launcher launcher, String jar) {
    return launcher
        .process()
        .children()
        .filter(p -> String.join(" ", p.info().arguments().orElse(new String[0])).contains(jar))
        .findFirst()
        .orElseThrow();
  }

  /** A process the running launcher recorded in its data directory. */
  private ProcessHandle recorded(String name) throws IOException {
    return java.nio.file.Files.readAllLines(dataDir.resolve("processes")).stream()
        .map(line -> line.split(" ", 3))
        .filter(parts -> parts[2].equals(name))
        .map(parts -> ProcessHandle.of(Long.parseLong(parts[0])).orElseThrow())
        .findFirst()
        .orElseThrow();
  }

  // ---- the v1 API, as the README walkthrough uses it -----------------------------------------

  record Response(int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  private String token(String user) {
    return send(HttpRequest.newBuilder(api("/v1/dev/tokens"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\"}")))
        .json()
        .get("token")
        .asString();
  }

  private Response submit(String token, Map<String, Object> extra) throws IOException {
    byte[] png = png();
    JsonNode upload =
        post(token, "/v1/uploads", Map.of("contentType", "image/png", "contentLength", png.length))
            .json();
    Response put =
        send(
            HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
                .header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    Map<String, Object> body = new HashMap<>(extra);
    body.put("prompt", "make the sky purple");
    body.put("inputs", List.of(Map.of("uploadId", upload.get("uploadId").asString())));
    return post(token, "/v1/edits", body);
  }

  private String status(String token, String id) {
    return send(authorized(token, "/v1/edits/" + id).GET()).json().get("status").asString();
  }

  private Response post(String token, String path, Object body) {
    return send(
        authorized(token, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  private HttpRequest.Builder authorized(String token, String path) {
    return HttpRequest.newBuilder(api(path)).header("Authorization", "Bearer " + token);
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + gatewayPort + path);
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(120, 170, 230));
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
