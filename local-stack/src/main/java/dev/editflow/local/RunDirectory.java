package dev.editflow.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who runs from a data directory. A launcher holds {@code launcher.lock} for its whole life (the
 * operating system releases it however the process ends, kill -9 included), so a second launcher on
 * the same directory is refused. Every process it starts is written to {@code processes}, so a run
 * that died without cleaning up (its launcher and its watchdog killed together) is found and
 * stopped by the next start.
 */
final class RunDirectory implements AutoCloseable {

  /** A process of a run: its pid, its start time (so a reused pid is not mistaken) and name. */
  record Recorded(long pid, long startedAtMillis, String name) {

    static Recorded of(ProcessHandle process, String name) {
      return new Recorded(process.pid(), startMillis(process).orElse(0L), name);
    }

    /** The process, if it still runs and is the one that was recorded. */
    Optional<ProcessHandle> stillRunning() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(p -> startedAtMillis == 0 || startMillis(p).orElse(-1L) == startedAtMillis);
    }

    String describe() {
      return name + " (pid " + pid + ")";
    }
  }

  private final Path processes;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private RunDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
    this.processes = dir.resolve("processes");
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Takes the data directory for this launcher.
   *
   * @throws StartRefused if another launcher runs from it
   */
  static RunDirectory claim(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(
            dir.resolve("launcher.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      String holder =
          read(dir.resolve("processes")).stream()
              .filter(r -> r.name().equals("launcher"))
              .findFirst()
              .map(r -> " (pid " + r.pid() + ")")
              .orElse("");
      throw new StartRefused(
          "another editflow local stack"
              + holder
              + " is running from "
              + dir
              + "; stop it first (Ctrl-C) or give this one its own EDITFLOW_DATA_DIR");
    }
    return new RunDirectory(dir, channel, lock);
  }

  /**
   * Stops what an earlier run of this directory left running: its recorded processes and a
   * PostgreSQL still serving the directory's database.
   *
   * @return what was stopped, for the console
   */
  List<String> stopLeftovers(Path postgresData) throws IOException {
    List<ProcessHandle> running = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Recorded recorded : read(processes)) {
      if (recorded.pid() == ProcessHandle.current().pid()) {
        continue;
      }
      recorded
          .stillRunning()
          .ifPresent(
              p -> {
                running.add(p);
                names.add(recorded.describe());
              });
    }
    postmaster(postgresData)
        .filter(p -> running.stream().noneMatch(r -> r.pid() == p.pid()))
        .ifPresent(
            p -> {
              running.add(p);
              names.add("PostgreSQL (pid " + p.pid() + ")");
            });
    running.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    for (ProcessHandle p : running) {
      while (p.isAlive() && System.nanoTime() < deadline) {
        sleep(100);
      }
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    Files.deleteIfExists(processes);
    return names;
  }

  /** Records a process of this run. */
  synchronized void record(ProcessHandle process, String name) {
    try {
      Files.writeString(
          processes,
          line(Recorded.of(process, name)),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + processes + ": " + e.getMessage(), e);
    }
  }

  /** The PostgreSQL postmaster serving {@code dataDir}, if one runs (from its postmaster.pid). */
  static Optional<ProcessHandle> postmaster(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      String first =
          Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream()
              .findFirst()
              .orElse("")
              .strip();
      if (!first.matches("[0-9]{1,10}")) {
        return Optional.empty();
      }
      // A pid from a file that may be stale: only a live postgres process counts.
      return ProcessHandle.of(Long.parseLong(first))
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(processes);
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  private static String line(Recorded r) {
    return r.pid() + " " + r.startedAtMillis() + " " + r.name() + "\n";
  }

  private static List<Recorded> read(Path file) {
    List<Recorded> recorded = new ArrayList<>();
    try {
      if (!Files.exists(file)) {
        return recorded;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.strip().split(" ", 3);
        if (parts.length == 3 && parts[0].matches("[0-9]+") && parts[1].matches("[0-9]+")) {
          recorded.add(new Recorded(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
        }
      }
    } catch (IOException e) {
      // an unreadable record is treated as no record
    }
    return recorded;
  }

  private static Optional<Long> startMillis(ProcessHandle process) {
    return process.info().startInstant().map(java.time.Instant::toEpochMilli);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
