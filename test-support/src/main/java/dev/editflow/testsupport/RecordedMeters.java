package dev.editflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The meters the services record, read from every module's main sources, so that dashboards, alerts
 * and autoscaling queries can be checked to ask only for series that exist.
 */
public final class RecordedMeters {

  private static final Pattern METER_NAME = Pattern.compile("\"(editflow\\.[a-z0-9.\\-]+)\"");

  private final Set<String> names;

  private RecordedMeters(Set<String> names) {
    this.names = names;
  }

  /** Meter names (normalised to Prometheus' underscores) created in any module's main sources. */
  public static RecordedMeters in(Path repository) {
    Set<String> names = new HashSet<>();
    try (Stream<Path> modules = Files.list(repository)) {
      for (Path sources :
          modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(sources)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .forEach(
                  f -> {
                    Matcher meter = METER_NAME.matcher(read(f));
                    while (meter.find()) {
                      names.add(meter.group(1).replace('.', '_').replace('-', '_'));
                    }
                  });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RecordedMeters(names);
  }

  /** Whether a Prometheus series (e.g. {@code editflow_fal_calls_total}) has a meter behind it. */
  public boolean records(String series) {
    return names.contains(meterOf(series));
  }

  /** The meter behind a Prometheus series: without histogram, counter and base-unit suffixes. */
  public static String meterOf(String series) {
    String name = series.replaceFirst("_(bucket|count|sum|max)$", "");
    name = name.replaceFirst("_total$", "");
    return name.replaceFirst("_(seconds|usd)$", "");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
