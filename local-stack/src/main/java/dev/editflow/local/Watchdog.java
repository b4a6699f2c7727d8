package dev.editflow.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A small {@code sh} process that ends the stack's processes when the launcher dies, however it
 * dies (kill -9, the OOM killer, a crashed IDE). The launcher holds the only write end of the
 * watchdog's stdin: the launcher tells it each pid to look after, and when the launcher is gone the
 * operating system closes the pipe and the watchdog reads end-of-file. It then sends SIGTERM to the
 * services (SIGINT, PostgreSQL's fast shutdown, to the database) and SIGKILL to whatever still runs
 * five seconds later. An orderly stop says "done" first, and the watchdog leaves quietly.
 *
 * <p>POSIX {@code sh}, {@code kill} and {@code sleep} only, so it works the same on Linux and
 * macOS; it ignores SIGINT and SIGHUP, which a terminal sends to the whole process group.
 */
final class Watchdog implements AutoCloseable {

  private static final String SCRIPT =
      """
      trap '' INT HUP
      services=""; database=""
      forget() { kept=""; for p in $1; do [ "$p" = "$2" ] || kept="$kept $p"; done; echo "$kept"; }
      while IFS= read -r line; do
        case "$line" in
          done) exit 0 ;;
          forget\\ *) services=$(forget "$services" "${line#forget }") ;;
          database\\ *) database="${line#database }" ;;
          *) services="$services $line" ;;
        esac
      done
      [ -n "$services$database" ] || exit 0
      [ -z "$services" ] || kill -TERM $services 2>/dev/null
      [ -z "$database" ] || kill -INT $database 2>/dev/null
      i=0
      while [ $i -lt 25 ]; do
        alive=""
        for p in $services $database; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
        [ -n "$alive" ] || exit 0
        sleep 0.2; i=$((i + 1))
      done
      kill -KILL $alive 2>/dev/null
      exit 0
      """;

  private final Process process;
  private final OutputStream pipe;

  private Watchdog(Process process) {
    this.process = process;
    this.pipe = process.getOutputStream();
  }

  static Watchdog start() {
    try {
      Process process =
          new ProcessBuilder("sh", "-c", SCRIPT)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return new Watchdog(process);
    } catch (IOException e) {
      throw new StartRefused("cannot start the watchdog (sh): " + e.getMessage());
    }
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** A service process to end with the launcher. */
  void watch(ProcessHandle service) {
    send(Long.toString(service.pid()));
  }

  /** The database postmaster to shut down (fast) with the launcher. */
  void watchDatabase(ProcessHandle postmaster) {
    send("database " + postmaster.pid());
  }

  /** A service that already ended (stopped or restarted). */
  void forget(ProcessHandle service) {
    send("forget " + service.pid());
  }

  /** The launcher stopped everything itself: the watchdog leaves without doing anything. */
  @Override
  public void close() {
    send("done");
    try {
      pipe.close();
    } catch (IOException ignored) {
      // the watchdog read "done" or has already gone
    }
  }

  private synchronized void send(String line) {
    try {
      pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      pipe.flush();
    } catch (IOException e) {
      if (process.isAlive()) {
        throw new UncheckedIOException(e);
      }
      // A dead watchdog is reported by the supervisor; nothing to tell it any more.
    }
  }
}
