package dev.editflow.falsim.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of fal's model error body {@code {"detail":[{loc, msg, type, input?}]}}.
 *
 * @param loc where the error is, e.g. {@code ["body","image_urls",0]}
 * @param msg human readable text (clients must not parse it)
 * @param type machine readable key, e.g. {@code file_download_error}
 * @param input the offending value, if any
 */
public record FieldError(List<Object> loc, String msg, String type, @Nullable Object input) {

  public static FieldError of(String field, String msg, String type, @Nullable Object input) {
    return new FieldError(List.of("body", field), msg, type, input);
  }

  /** This entry as JSON-ready map, in fal's field order. */
  public Map<String, Object> toJson() {
    var json = new LinkedHashMap<String, Object>();
    json.put("loc", loc);
    json.put("msg", msg);
    json.put("type", type);
    if (input != null) {
      json.put("input", input);
    }
    return json;
  }
}
