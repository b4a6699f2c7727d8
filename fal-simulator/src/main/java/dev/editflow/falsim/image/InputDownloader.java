package dev.editflow.falsim.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Fetches input images the way fal's runners do: plain GET without auth headers. Loopback is
 * allowed on purpose (test S3 runs on 127.0.0.1); the simulator is not an SSRF boundary. Data URIs
 * are accepted as well, as some fal models do.
 */
@Component
public class InputDownloader {

  /** Bigger inputs fail with file_download_error (fal's real limit is unconfirmed). */
  static final long MAX_BYTES = 100L * 1024 * 1024;

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();

  private final Duration timeout;

  public InputDownloader() {
    this(Duration.ofSeconds(60));
  }

  InputDownloader(Duration timeout) {
    this.timeout = timeout;
  }

  public byte[] download(String url) throws InputDownloadFailed {
    if (url.startsWith("data:")) {
      return decodeDataUri(url);
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new InputDownloadFailed("Invalid URL");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw new InputDownloadFailed("Unsupported URL scheme");
    }
    var request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      // The request timeout ends at the headers; a body that stalls would hold the request
      // IN_PROGRESS for good, so the stream is closed when the whole download is overdue.
      try (InputStream body = response.body()) {
        ScheduledFuture<?> overdue =
            TIMER.schedule(() -> closeQuietly(body), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
          if (response.statusCode() / 100 != 2) {
            throw new InputDownloadFailed("HTTP " + response.statusCode());
          }
          return readLimited(body);
        } finally {
          overdue.cancel(false);
        }
      }
    } catch (IOException e) {
      throw new InputDownloadFailed(e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputDownloadFailed("interrupted");
    }
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // the download fails with the reader's IOException
    }
  }

  private static byte[] readLimited(InputStream body) throws IOException, InputDownloadFailed {
    var out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = body.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      if (out.size() > MAX_BYTES) {
        throw new InputDownloadFailed("File too large");
      }
    }
    return out.toByteArray();
  }

  private static byte[] decodeDataUri(String uri) throws InputDownloadFailed {
    int comma = uri.indexOf(',');
    if (comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
      throw new InputDownloadFailed("Unsupported data URI");
    }
    try {
      return Base64.getDecoder().decode(uri.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw new InputDownloadFailed("Invalid base64 in data URI");
    }
  }
}
