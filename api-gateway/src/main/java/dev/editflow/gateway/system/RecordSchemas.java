package dev.editflow.gateway.system;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Our request and response bodies are records whose components are non-null unless marked {@link
 * Nullable}: the document says so ({@code required}, {@code nullable}), so a generated client does
 * not have to treat every field of a job as possibly missing.
 */
@Component
class RecordSchemas implements ModelConverter {

  @Override
  public @Nullable Schema<?> resolve(
      AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    if (!chain.hasNext()) {
      return null;
    }
    Schema<?> schema = chain.next().resolve(type, context, chain);
    Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
    if (schema == null || !raw.isRecord()) {
      return schema;
    }
    Schema<?> model =
        schema.get$ref() == null
            ? schema
            : context
                .getDefinedModels()
                .get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
    if (model == null || model.getProperties() == null) {
      return schema;
    }
    JsonInclude include = raw.getAnnotation(JsonInclude.class);
    boolean nullsOmitted = include != null && include.value() == JsonInclude.Include.NON_NULL;
    List<String> required = new ArrayList<>();
    for (RecordComponent component : raw.getRecordComponents()) {
      Schema<?> property = model.getProperties().get(component.getName());
      if (property == null) {
        continue;
      }
      boolean nullable =
          component.getAnnotatedType().isAnnotationPresent(Nullable.class)
              || component.isAnnotationPresent(Nullable.class);
      if (!nullable) {
        required.add(component.getName());
      } else if (!nullsOmitted && property.get$ref() == null) {
        property.setNullable(true);
      }
    }
    model.setRequired(required.isEmpty() ? null : required);
    return schema;
  }
}
