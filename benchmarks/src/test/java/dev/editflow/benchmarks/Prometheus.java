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
}
