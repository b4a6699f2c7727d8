package dev.editflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one service module reads, from its sources: its {@code application*.properties} and the
 * {@code @ConfigurationProperties} classes of it and of the editflow modules it depends on. Lets
 * deployment files (compose, Kubernetes) be checked against the code without starting anything:
 * every variable they set must bind to a real setting, every value they rely on must be there.
 */
public final class ServiceSettings {

  private static final Pattern CONFIGURATION_PROPERTIES =
      Pattern.compile("@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

  private final String module;
  private final Map<String, String> propertiesFiles;
  private final Map<String, String> settingsClasses;

  private ServiceSettings(
      String module, Map<String, String> propertiesFiles, Map<String, String> settingsClasses) {
    this.module = module;
    this.propertiesFiles = propertiesFiles;
    this.settingsClasses = settingsClasses;
  }

  /** The settings of {@code module} (a directory of the repository, e.g. {@code edit-worker}). */
  public static ServiceSettings of(Path repository, String module) {
    Path dir = repository.resolve(module);
    String pom = read(dir.resolve("pom.xml"));
    List<Path> sourceRoots = new ArrayList<>(List.of(dir.resolve("src/main")));
    try (Stream<Path> modules = Files.list(repository)) {
      modules
          .filter(
              m -> Files.exists(m.resolve("pom.xml")) && Files.isDirectory(m.resolve("src/main")))
          .filter(m -> pom.contains("<artifactId>" + m.getFileName() + "</artifactId>"))
          .filter(m -> !m.equals(dir))
          .forEach(m -> sourceRoots.add(m.resolve("src/main")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    Map<String, String> settingsClasses = new HashMap<>();
    for (Path root : sourceRoots) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(Files::isRegularFile)
            // Settings live in Java sources and properties files; resources may be binary.
            .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".properties"))
            .forEach(
                file -> {
                  String text = read(file);
                  String fileName = file.getFileName().toString();
                  if (root.startsWith(dir) && fileName.matches("application.*\\.properties")) {
                    properties.put(fileName, text);
                  }
                  Matcher prefix = CONFIGURATION_PROPERTIES.matcher(text);
                  while (prefix.find()) {
                    settingsClasses.merge(prefix.group(1), text, String::concat);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ServiceSettings(module, properties, settingsClasses);
  }

  public String module() {
    return module;
  }

  /**
   * Whether the environment variable {@code variable} (with {@code value}) is read by this service:
   * a placeholder in its properties, the relaxed-binding form of a property it sets, a Boot
   * namespace it configures, or a path of names its settings class declares.
   */
  public boolean reads(String variable, String value) {
    String lower = variable.toLowerCase(Locale.ROOT);
    if (propertiesFiles.values().stream().anyMatch(text -> text.contains("${" + variable))) {
      return true;
    }
    if (lower.equals("spring_profiles_active")) {
      return Stream.of(value.split(","))
          .allMatch(p -> propertiesFiles.containsKey("application-" + p.strip() + ".properties"));
    }
    if (keys().anyMatch(key -> boundBy(key, lower))) {
      return true;
    }
    if (!lower.startsWith("editflow_")) {
      // Boot's own namespaces (spring.datasource, server.port ...): the module configures it.
      String[] parts = lower.split("_");
      if (parts.length < 2) {
        return false;
      }
      String namespace = parts[0] + "." + parts[1];
      if (keys().anyMatch(key -> key.startsWith(namespace + ".") || key.equals(namespace))) {
        return true;
      }
      // Or a property Spring Boot declares (its configuration metadata on the classpath), in a
      // part of Boot the module configures already (management.*, spring.*, server.*).
      return BootProperties.NAMES.stream().anyMatch(name -> boundBy(name, lower))
          && keys().anyMatch(key -> key.startsWith(parts[0] + "."));
    }
    return settingsClasses.entrySet().stream()
        .filter(e -> lower.startsWith(e.getKey().replace('.', '_').replace('-', '_') + "_"))
        .anyMatch(
            e -> {
              String tail =
                  lower.substring(e.getKey().length() + 1).replace("_", "").replace("-", "");
              return spelledWith(tail, identifiersOf(e.getValue()));
            });
  }

  /**
   * The value of {@code key} as the service sees it: from an environment variable in {@code
   * environment} that binds to it, else from its {@code application.properties}.
   */
  public Optional<String> value(String key, Map<String, String> environment) {
    Optional<String> fromEnvironment =
        environment.entrySet().stream()
            .filter(e -> boundBy(key, e.getKey().toLowerCase(Locale.ROOT)))
            .map(Map.Entry::getValue)
            .findFirst();
    if (fromEnvironment.isPresent()) {
      return fromEnvironment;
    }
    return Optional.ofNullable(propertiesFiles.get("application.properties"))
        .flatMap(
            text ->
                text.lines()
                    .map(String::strip)
                    .filter(line -> line.startsWith(key + "="))
                    .map(line -> line.substring(key.length() + 1).strip())
                    .findFirst());
  }

  private Stream<String> keys() {
    return propertiesFiles.values().stream()
        .flatMap(String::lines)
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
        .map(line -> line.substring(0, line.indexOf('=')).strip().toLowerCase(Locale.ROOT));
  }

  /** Spring's environment-variable forms of a property: dashes dropped, or made underscores. */
  private static boolean boundBy(String key, String variable) {
    String dotted = key.toLowerCase(Locale.ROOT).replace('.', '_');
    return dotted.replace("-", "").equals(variable) || dotted.replace('-', '_').equals(variable);
  }

  private static Set<String> identifiersOf(String source) {
    Set<String> identifiers = new HashSet<>();
    Matcher identifier = IDENTIFIER.matcher(source);
    while (identifier.find()) {
      identifiers.add(identifier.group().toLowerCase(Locale.ROOT));
    }
    return identifiers;
  }

  /** Whether the path below the prefix is a chain of names the settings class declares. */
  private static boolean spelledWith(String tail, Set<String> words) {
    boolean[] reachable = new boolean[tail.length() + 1];
    reachable[0] = true;
    for (int end = 1; end <= tail.length(); end++) {
      for (int start = 0; start < end && !reachable[end]; start++) {
        reachable[end] = reachable[start] && words.contains(tail.substring(start, end));
      }
    }
    return !tail.isEmpty() && reachable[tail.length()];
  }

  /** The properties Spring Boot's modules on the classpath declare in their metadata. */
  private static final class BootProperties {

    static final Set<String> NAMES = load();

    private static Set<String> load() {
      Pattern name = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
      Set<String> names = new HashSet<>();
      try {
        var files =
            ServiceSettings.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        while (files.hasMoreElements()) {
          try (var in = files.nextElement().openStream()) {
            Matcher matcher = name.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (matcher.find()) {
              names.add(matcher.group(1));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return names;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
