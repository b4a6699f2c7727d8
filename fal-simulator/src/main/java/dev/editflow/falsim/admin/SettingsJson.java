package dev.editflow.falsim.admin;

import dev.editflow.falsim.SimulatorSettings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON form of {@link SimulatorSettings} for the admin API, written like the properties: kebab-case
 * names, durations as {@code 500ms}/{@code 2s} (ISO-8601 and plain milliseconds are accepted too),
 * sizes as {@code 25MB}.
 */
final class SettingsJson {

  private final JsonMapper mapper;

  SettingsJson() {
    var module = new SimpleModule("simulator-settings");
    module.addSerializer(Duration.class, new DurationSerializer());
    module.addDeserializer(Duration.class, new DurationDeserializer());
    module.addSerializer(DataSize.class, new DataSizeSerializer());
    module.addDeserializer(DataSize.class, new DataSizeDeserializer());
    this.mapper =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(module)
            .build();
  }

  String write(SimulatorSettings settings) {
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(settings);
  }

  /** {@code current} with every field present in {@code patch} replaced (nested objects merged). */
  SimulatorSettings merge(SimulatorSettings current, String patch) {
    ObjectNode tree = mapper.valueToTree(current);
    JsonNode changes = mapper.readTree(patch);
    if (!changes.isObject()) {
      throw new IllegalArgumentException("Settings patch must be a JSON object");
    }
    merge(tree, (ObjectNode) changes);
    return mapper.treeToValue(tree, SimulatorSettings.class);
  }

  private static void merge(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> entry : patch.properties()) {
      JsonNode existing = target.get(entry.getKey());
      if (existing != null && existing.isObject() && entry.getValue().isObject()) {
        merge((ObjectNode) existing, (ObjectNode) entry.getValue());
      } else {
        target.set(entry.getKey(), entry.getValue());
      }
    }
  }

  private static final class DurationSerializer extends ValueSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializationContext context) {
      ChronoUnit unit = ChronoUnit.MILLIS;
      for (ChronoUnit candidate :
          new ChronoUnit[] {
            ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS
          }) {
        if (!value.isZero() && value.toMillis() % candidate.getDuration().toMillis() == 0) {
          unit = candidate;
          break;
        }
      }
      gen.writeString(DurationStyle.SIMPLE.print(value, unit));
    }
  }

  private static final class DurationDeserializer extends ValueDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) {
      if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return Duration.ofMillis(parser.getLongValue());
      }
      return DurationStyle.detectAndParse(parser.getString());
    }
  }

  private static final class DataSizeSerializer extends ValueSerializer<DataSize> {
    @Override
    public void serialize(DataSize value, JsonGenerator gen, SerializationContext context) {
      gen.writeString(value.toBytes() + "B");
    }
  }

  private static final class DataSizeDeserializer extends ValueDeserializer<DataSize> {
    @Override
    public DataSize deserialize(JsonParser parser, DeserializationContext context) {
      if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return DataSize.ofBytes(parser.getLongValue());
      }
      return DataSize.parse(parser.getString());
    }
  }
}
