package dev.editflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.Yaml;

/** Reading parsed YAML without a cast on every line. */
final class Yamls {

  private Yamls() {}

  static Map<String, Object> load(Path file) {
    try {
      return map(new Yaml().load(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(@Nullable Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new AssertionError("not a mapping: " + value);
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(@Nullable Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?>)) {
      throw new AssertionError("not a list: " + value);
    }
    return (List<Object>) value;
  }

  static List<Map<String, Object>> maps(@Nullable Object value) {
    return list(value).stream().map(Yamls::map).toList();
  }

  /** The value at a path of keys, or null where the path ends early. */
  static @Nullable Object at(Map<String, Object> map, String... path) {
    Object current = map;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }

  static Map<String, Object> mapAt(Map<String, Object> map, String... path) {
    return map(at(map, path));
  }

  static @Nullable String stringOrNull(Map<String, Object> map, String... path) {
    Object value = at(map, path);
    return value == null ? null : String.valueOf(value);
  }

  static String string(Map<String, Object> map, String... path) {
    Object value = at(map, path);
    if (value == null) {
      throw new AssertionError("no " + String.join(".", path) + " in " + map);
    }
    return String.valueOf(value);
  }
}
