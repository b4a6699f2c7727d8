package dev.editflow.falsim.media;

import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorSettings;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves output files like fal's CDN: public to anyone with the link, 404 once expired, optionally
 * throttled or cut short.
 */
@RestController
class MediaController {

  private static final int CHUNK = 16 * 1024;

  private final MediaStore store;
  private final LiveSettings settings;

  MediaController(MediaStore store, LiveSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  @GetMapping("/media/files/{token}/{name}")
  void download(@PathVariable String token, @PathVariable String name, HttpServletResponse response)
      throws IOException, InterruptedException {
    var file = store.find(token, name).orElse(null);
    if (file == null) {
      response.setStatus(404);
      response.setContentType(MediaType.TEXT_PLAIN_VALUE);
      response.getWriter().write("Not Found");
      return;
    }
    SimulatorSettings.Media media = settings.get().media();
    long limit =
        media.truncateAtPercent() >= 100
            ? file.size()
            : file.size() * Math.max(0, media.truncateAtPercent()) / 100;
    long bytesPerSecond = media.throttlePerSecond().toBytes();
    response.setStatus(200);
    response.setContentType(file.contentType());
    response.setContentLengthLong(file.size());
    response.setHeader("Cache-Control", "public, max-age=604800");
    if (limit < file.size()) {
      // Promise the full length, send less, then close: clients see a premature EOF.
      response.setHeader("Connection", "close");
    }
    long start = System.nanoTime();
    long sent = 0;
    try (InputStream in = Files.newInputStream(file.path())) {
      OutputStream out = response.getOutputStream();
      byte[] buffer = new byte[CHUNK];
      while (sent < limit) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent));
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        sent += n;
        if (bytesPerSecond > 0) {
          out.flush();
          long dueNanos = sent * 1_000_000_000L / bytesPerSecond;
          long aheadMillis = (dueNanos - (System.nanoTime() - start)) / 1_000_000;
          if (aheadMillis > 0) {
            // Request threads are virtual, so pacing by sleeping costs no platform thread.
            Thread.sleep(aheadMillis);
          }
        }
      }
      out.flush();
    }
  }
}
