package dev.editflow.gateway.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.model.FalModel;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

class EditFormTests {

  /** The API document lists the offered models; they are the catalogue's, in its order. */
  @Test
  void theDocumentedModelsAreTheCataloguesModels() throws NoSuchFieldException {
    Schema model = EditForm.class.getDeclaredField("model").getAnnotation(Schema.class);

    assertThat(List.of(model.allowableValues())).isEqualTo(FalModel.ids());
  }
}
