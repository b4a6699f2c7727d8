package dev.editflow.benchmarks;

import java.net.URI;
import java.util.Map;

/** Reads figures from a service's {@code /actuator/prometheus}. */
final class Prometheus {

  private final String text;

  private Prometheus(String text) {
    this.text = text;
  }

  static Prometheus scrape(URI service) {
    return new Prometheus(
        Http.expect(Http.get(service.resolve("/actuator/prometheus")), 200).body());
  }

  /** The sum of every sample of {@code name} whose labels include all of {@code labels}. */
  double sum(String name, Map<String, String> labels) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int end = name.length();
      if (line.length() == end || (line.charAt(end) != '{' && line.charAt(end) != ' ')) {
        continue;
      }
      String labelPart = line.charAt(end) == '{' ? line.substring(end, line.indexOf('}') + 1) : "";
      if (labels.entrySet().stream()
          .allMatch(l -> labelPart.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
        String[] parts = line.substring(end + labelPart.length()).trim().split(" ");
        total += Double.parseDouble(parts[0]);
        found = true;
      }
    }
    return found ? total : Double.NaN;
  }

  double value(String name) {
    return sum(name, Map.of());
  }

  /**
   * The {@code q} quantile of histogram {@code name} (base name, without {@code _bucket}), as the
   * upper bound of the first bucket holding it: an estimate no finer than the buckets.
   */
  double quantile(String name, double q) {
    java.util.TreeMap<Double, Double> cumulative = new java.util.TreeMap<>();
    String bucket = name + "_bucket{";
    for (String line : text.split("\n")) {
      if (!line.startsWith(bucket)) {
        continue;
      }
      int le = line.indexOf("le=\"") + 4;
      String bound = line.substring(le, line.indexOf('"', le));
      double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
      double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      cumulative.merge(upper, count, Double::sum);
    }
    if (cumulative.isEmpty()) {
      return Double.NaN;
    }
    double total = cumulative.lastEntry().getValue();
    for (var entry : cumulative.entrySet()) {
      if (entry.getValue() >= q * total) {
        return entry.getKey();
      }
    }
    return Double.NaN;
  }
}
