package dev.editflow.falsim.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Pydantic-style checks of a model's JSON input, collecting every error like fal does. */
final class InputRules {

  private final Map<String, Object> input;
  private final List<FieldError> errors = new ArrayList<>();

  InputRules(Map<String, Object> input) {
    this.input = input;
  }

  InputRules requiredString(String field) {
    Object value = input.get(field);
    if (value == null) {
      missing(field);
    } else if (!(value instanceof String)) {
      errors.add(FieldError.of(field, "Input should be a valid string", "string_type", value));
    }
    return this;
  }

  InputRules requiredUrlList(String field) {
    Object value = input.get(field);
    if (value == null) {
      missing(field);
    } else if (!(value instanceof List<?> list)) {
      errors.add(FieldError.of(field, "Input should be a valid list", "list_type", value));
    } else if (list.isEmpty()) {
      errors.add(
          FieldError.of(
              field,
              "List should have at least 1 item after validation, not 0",
              "too_short",
              list));
    } else {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String s) || s.isBlank()) {
          errors.add(
              new FieldError(
                  List.of("body", field, i),
                  "Input should be a valid string",
                  "string_type",
                  list.get(i)));
        }
      }
    }
    return this;
  }

  InputRules optionalOneOf(String field, List<String> allowed) {
    Object value = input.get(field);
    if (value != null && !allowed.contains(value)) {
      String expected = allowed.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", "));
      errors.add(FieldError.of(field, "Input should be " + expected, "literal_error", value));
    }
    return this;
  }

  InputRules optionalIntRange(String field, int min, int max) {
    Object value = input.get(field);
    if (value == null) {
      return this;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      errors.add(FieldError.of(field, "Input should be a valid integer", "int_type", value));
    } else if (((Number) value).longValue() < min) {
      errors.add(
          FieldError.of(
              field,
              "Input should be greater than or equal to " + min,
              "greater_than_equal",
              value));
    } else if (((Number) value).longValue() > max) {
      errors.add(
          FieldError.of(
              field, "Input should be less than or equal to " + max, "less_than_equal", value));
    }
    return this;
  }

  InputRules optionalBoolean(String field) {
    Object value = input.get(field);
    if (value != null && !(value instanceof Boolean)) {
      errors.add(FieldError.of(field, "Input should be a valid boolean", "bool_type", value));
    }
    return this;
  }

  List<FieldError> errors() {
    return List.copyOf(errors);
  }

  static String string(Map<String, Object> input, String field, String fallback) {
    return input.get(field) instanceof String s ? s : fallback;
  }

  static int integer(Map<String, Object> input, String field, int fallback) {
    return input.get(field) instanceof Number n ? n.intValue() : fallback;
  }

  static @Nullable Long seed(Map<String, Object> input) {
    return input.get("seed") instanceof Number n ? n.longValue() : null;
  }

  private void missing(String field) {
    errors.add(FieldError.of(field, "Field required", "missing", null));
  }
}
