package dev.editflow.gateway.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.model.FalModel;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTests {

  private final Pricing catalogue = new Pricing(Map.of());

  @Test
  void aJobCostsThePricePerImageTimesItsImages() {
    assertThat(catalogue.estimate(FalModel.NANO_BANANA_PRO_EDIT, null, 1))
        .isEqualByComparingTo("0.15");
    assertThat(catalogue.estimate(FalModel.NANO_BANANA_EDIT, null, 4))
        .isEqualByComparingTo("0.156");
    assertThat(catalogue.estimate(FalModel.FLUX_PRO_KONTEXT, null, 2)).isEqualByComparingTo("0.08");
  }

  @Test
  void twoKCostsOneAndAHalfTimesAndFourKTwiceAsMuchAsOneK() {
    FalModel pro = FalModel.NANO_BANANA_PRO_EDIT;
    assertThat(catalogue.estimate(pro, "1K", 2)).isEqualByComparingTo("0.30");
    assertThat(catalogue.estimate(pro, "2K", 2)).isEqualByComparingTo("0.45");
    assertThat(catalogue.estimate(pro, "4K", 2)).isEqualByComparingTo("0.60");
  }

  @Test
  void anOperatorsPriceReplacesTheCataloguesAndKeepsTheResolutionFactor() {
    Pricing overridden =
        new Pricing(Map.of(FalModel.NANO_BANANA_PRO_EDIT.id(), new BigDecimal("0.20")));

    assertThat(overridden.estimate(FalModel.NANO_BANANA_PRO_EDIT, null, 1))
        .isEqualByComparingTo("0.20");
    assertThat(overridden.estimate(FalModel.NANO_BANANA_PRO_EDIT, "4K", 1))
        .isEqualByComparingTo("0.40");
    assertThat(overridden.estimate(FalModel.NANO_BANANA_EDIT, null, 1))
        .as("models without an override keep the catalogue's price")
        .isEqualByComparingTo("0.039");
  }
}
