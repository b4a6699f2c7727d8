package dev.editflow.falsim;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load helper (not a timed assertion): opens many concurrent status streams or status calls against
 * a simulator on loopback and reports how many were held and how many failed. Bounded in count and
 * time. JDK only, so it also runs standalone against a separately started jar:
 *
 * <pre>
 * java fal-simulator/src/test/java/dev/editflow/falsim/LoadProbe.java http://127.0.0.1:8090 streams 15000 20
 * java fal-simulator/src/test/java/dev/editflow/falsim/LoadProbe.java http://127.0.0.1:8090 status 20000
 * </pre>
 *
 * The simulator should run with {@code editflow.simulator.faults.stuck=1} so the probed job never
 * completes (streams stay open) and a key-less config (any key is accepted).
 */
final class LoadProbe {

  /** What a run achieved. */
  record Outcome(int requested, int held, int errors, String firstError) {
    @Override
    public String toString() {
      return "requested="
          + requested
          + " held="
          + held
          + " errors="
          + errors
          + (firstError.isEmpty() ? "" : " firstError=" + firstError);
    }
  }

  private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"([^\"]+)\"");
  private static final String KEY = "Key load-probe";

  private LoadProbe() {}

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:8090";
    String mode = args.length > 1 ? args[1] : "streams";
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int holdSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    String statusUrl = submitStuckJob(base);
    Outcome outcome =
        "status".equals(mode)
            ? concurrentStatusCalls(statusUrl, count)
            : concurrentStreams(statusUrl + "/stream", count, Duration.ofSeconds(holdSeconds));
    System.out.println(mode + ": " + outcome);
  }

  /** Submits one job (meant to be stuck) and returns its status URL. */
  static String submitStuckJob(String base) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String body =
        "{\"prompt\":\"load probe\",\"image_urls\":[\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\"]}";
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/fal-ai/nano-banana/edit"))
                .header("Authorization", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher id = REQUEST_ID.matcher(response.body());
    if (response.statusCode() != 200 || !id.find()) {
      throw new IllegalStateException(
          "Submit failed: " + response.statusCode() + " " + response.body());
    }
    return base + "/fal-ai/nano-banana/requests/" + id.group(1) + "/status";
  }

  /**
   * Opens {@code count} status streams at once; a stream counts as held once its first event
   * arrived. All stay open until every one is held or failed (at most 120 s), plus {@code hold}.
   */
  static Outcome concurrentStreams(String streamUrl, int count, Duration hold)
      throws InterruptedException {
    var held = new AtomicInteger();
    var errors = new AtomicInteger();
    var firstError = new StringBuffer();
    var settled = new CountDownLatch(count);
    var release = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient client = client(threads)) {
      var request =
          HttpRequest.newBuilder(URI.create(streamUrl))
              .header("Authorization", KEY)
              .header("Accept", "text/event-stream")
              .timeout(Duration.ofSeconds(120))
              .build();
      for (int i = 0; i < count; i++) {
        threads.execute(
            () -> {
              boolean counted = false;
              try {
                HttpResponse<InputStream> response =
                    client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (var reader =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode());
                  }
                  String line;
                  while ((line = reader.readLine()) != null && !line.startsWith("data:")) {
                    // skip until the first event
                  }
                  if (line == null) {
                    throw new IllegalStateException("stream closed before the first event");
                  }
                  held.incrementAndGet();
                  counted = true;
                  settled.countDown();
                  release.await(300, TimeUnit.SECONDS);
                }
              } catch (Exception e) {
                errors.incrementAndGet();
                if (firstError.isEmpty()) {
                  firstError.append(e);
                }
                if (!counted) {
                  settled.countDown();
                }
              }
            });
      }
      settled.await(120, TimeUnit.SECONDS);
      int heldAtPeak = held.get();
      release.await(hold.toMillis(), TimeUnit.MILLISECONDS);
      int errorsWhileHolding = errors.get();
      release.countDown();
      return new Outcome(count, heldAtPeak, errorsWhileHolding, firstError.toString());
    }
  }

  /** Fires {@code count} status calls at once and counts 2xx answers. */
  static Outcome concurrentStatusCalls(String statusUrl, int count) throws InterruptedException {
    var ok = new AtomicInteger();
    var errors = new AtomicInteger();
    var firstError = new StringBuffer();
    var start = new CountDownLatch(1);
    var done = new CountDownLatch(count);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient client = client(threads)) {
      var request =
          HttpRequest.newBuilder(URI.create(statusUrl))
              .header("Authorization", KEY)
              .timeout(Duration.ofSeconds(120))
              .build();
      for (int i = 0; i < count; i++) {
        threads.execute(
            () -> {
              try {
                start.await();
                int code =
                    client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (code / 100 == 2) {
                  ok.incrementAndGet();
                } else {
                  throw new IllegalStateException("HTTP " + code);
                }
              } catch (Exception e) {
                errors.incrementAndGet();
                if (firstError.isEmpty()) {
                  firstError.append(e);
                }
              } finally {
                done.countDown();
              }
            });
      }
      start.countDown();
      done.await(180, TimeUnit.SECONDS);
    }
    return new Outcome(count, ok.get(), errors.get(), firstError.toString());
  }

  private static HttpClient client(ExecutorService threads) {
    return HttpClient.newBuilder()
        .executor(threads)
        .connectTimeout(Duration.ofSeconds(60))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }
}
