package dev.editflow.falsim.media;

import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorReset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Output files kept on disk (never in heap, so tens of thousands of jobs fit), indexed by token and
 * name, deleted once expired.
 */
@Component
public class MediaStore implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(MediaStore.class);

  private final Path root;
  private final ConcurrentHashMap<String, StoredFile> files = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("falsim-media").factory());

  MediaStore(LiveSettings settings) throws IOException {
    String dir = settings.get().media().dir();
    String stateDir = settings.get().stateDir();
    if ((dir == null || dir.isBlank()) && stateDir != null && !stateDir.isBlank()) {
      dir = Path.of(stateDir, "media").toString();
    }
    this.root =
        dir == null || dir.isBlank()
            ? Files.createTempDirectory("falsim-media")
            : Files.createDirectories(Path.of(dir));
    int kept = registerExisting(settings.get().media().expiry());
    LOG.info(
        "Media files are stored under {}{}.",
        root,
        kept == 0 ? "" : " (" + kept + " kept from an earlier run)");
    sweeper.scheduleWithFixedDelay(this::sweep, 10, 10, TimeUnit.SECONDS);
  }

  /**
   * Serves the files an earlier run left in the directory again (a restart must not lose outputs
   * clients still have to download), each until the default expiry after it was written.
   */
  private int registerExisting(java.time.Duration expiry) throws IOException {
    int count = 0;
    try (var tokens = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path token : tokens) {
        try (var names = Files.newDirectoryStream(token, Files::isRegularFile)) {
          for (Path file : names) {
            Instant written = Files.getLastModifiedTime(file).toInstant();
            register(file, contentType(file), written.plus(expiry));
            count++;
          }
        }
      }
    }
    return count;
  }

  private static String contentType(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    return name.endsWith(".webp") ? "image/webp" : "image/png";
  }

  /** A fresh path for a new file; call {@link #register} once it is written. */
  public Path newFile(String name) {
    try {
      Path dir = Files.createDirectories(root.resolve(newToken()));
      return dir.resolve(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes a written file downloadable until {@code expiresAt} (null: forever). */
  public StoredFile register(Path path, String contentType, @Nullable Instant expiresAt) {
    try {
      var file =
          new StoredFile(
              path.getParent().getFileName().toString(),
              path.getFileName().toString(),
              contentType,
              path,
              Files.size(path),
              expiresAt);
      files.put(key(file.token(), file.name()), file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file, unless it is unknown or expired. */
  public Optional<StoredFile> find(String token, String name) {
    StoredFile file = files.get(key(token, name));
    if (file != null && file.expired(Instant.now())) {
      delete(file);
      return Optional.empty();
    }
    return Optional.ofNullable(file);
  }

  public int count() {
    return files.size();
  }

  @EventListener
  void on(SimulatorReset reset) {
    files.values().forEach(this::delete);
  }

  @Override
  public void destroy() {
    sweeper.shutdownNow();
  }

  private void sweep() {
    Instant now = Instant.now();
    files.values().stream().filter(f -> f.expired(now)).forEach(this::delete);
  }

  private void delete(StoredFile file) {
    files.remove(key(file.token(), file.name()));
    try {
      Files.deleteIfExists(file.path());
      Files.deleteIfExists(file.path().getParent());
    } catch (IOException e) {
      LOG.warn("Media file {} could not be deleted: {}.", file.path(), e.toString());
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[12];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String key(String token, String name) {
    return token + "/" + name;
  }
}
