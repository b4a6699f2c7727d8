package dev.editflow.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The fal models editflow offers, and what each one takes (FAL-API.md §6): the gateway validates
 * and prices requests with it, the worker shapes fal's input with it, and the fal-simulator
 * imitates exactly these models. Adding a model is one constant here and its line in {@code
 * FalModelTests}.
 */
public enum FalModel {
  NANO_BANANA_PRO_EDIT(
      "fal-ai/nano-banana-pro/edit",
      InputShape.IMAGE_URLS,
      4,
      factors("1K", "1", "2K", "1.5", "4K", "2"),
      List.of("png", "jpeg", "webp"),
      "0.15"),
  NANO_BANANA_EDIT(
      "fal-ai/nano-banana/edit",
      InputShape.IMAGE_URLS,
      4,
      factors(),
      List.of("png", "jpeg", "webp"),
      "0.039"),
  FLUX_PRO_KONTEXT(
      "fal-ai/flux-pro/kontext",
      InputShape.IMAGE_URL,
      1,
      factors(),
      List.of("jpeg", "png"),
      "0.04");

  /** How a model takes its input images. */
  public enum InputShape {
    /** A list, {@code "image_urls": [...]} (nano-banana). */
    IMAGE_URLS("image_urls"),
    /** One image, {@code "image_url": "..."} (flux-pro/kontext). */
    IMAGE_URL("image_url");

    private final String field;

    InputShape(String field) {
      this.field = field;
    }

    /** The name of the input field at fal. */
    public String field() {
      return field;
    }
  }

  private final String id;
  private final InputShape inputShape;
  private final int maxInputs;
  private final Map<String, BigDecimal> resolutionFactors;
  private final List<String> outputFormats;
  private final BigDecimal pricePerImage;

  FalModel(
      String id,
      InputShape inputShape,
      int maxInputs,
      Map<String, BigDecimal> resolutionFactors,
      List<String> outputFormats,
      String pricePerImage) {
    this.id = id;
    this.inputShape = inputShape;
    this.maxInputs = maxInputs;
    this.resolutionFactors = resolutionFactors;
    this.outputFormats = outputFormats;
    this.pricePerImage = new BigDecimal(pricePerImage);
  }

  /** The full fal model id, as submitted, e.g. {@code fal-ai/nano-banana-pro/edit}. */
  public String id() {
    return id;
  }

  public InputShape inputShape() {
    return inputShape;
  }

  /** The most input images the model takes. */
  public int maxInputs() {
    return maxInputs;
  }

  /** The resolutions the model takes, the default first; empty when it takes none. */
  public List<String> resolutions() {
    return List.copyOf(resolutionFactors.keySet());
  }

  public boolean takesResolution() {
    return !resolutionFactors.isEmpty();
  }

  /** The output formats the model writes, its default first. */
  public List<String> outputFormats() {
    return outputFormats;
  }

  public String defaultOutputFormat() {
    return outputFormats.getFirst();
  }

  /** Estimated USD per image at the default resolution. */
  public BigDecimal pricePerImage() {
    return pricePerImage;
  }

  /**
   * How much one image at {@code resolution} costs relative to the default resolution: 1 for the
   * default, for {@literal null} and for a model that takes no resolution.
   */
  public BigDecimal resolutionFactor(@Nullable String resolution) {
    return resolution == null
        ? BigDecimal.ONE
        : resolutionFactors.getOrDefault(resolution, BigDecimal.ONE);
  }

  /** Estimated USD of {@code images} images at {@code resolution}, at {@code pricePerImage}. */
  public BigDecimal estimatedCost(
      BigDecimal pricePerImage, @Nullable String resolution, int images) {
    return pricePerImage
        .multiply(resolutionFactor(resolution))
        .multiply(BigDecimal.valueOf(images));
  }

  public static Optional<FalModel> byId(@Nullable String id) {
    return Arrays.stream(values()).filter(model -> model.id.equals(id)).findFirst();
  }

  /** Every model id, in catalogue order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(FalModel::id).toList();
  }

  private static Map<String, BigDecimal> factors(String... resolutionAndFactor) {
    var factors = new LinkedHashMap<String, BigDecimal>();
    for (int i = 0; i < resolutionAndFactor.length; i += 2) {
      factors.put(resolutionAndFactor[i], new BigDecimal(resolutionAndFactor[i + 1]));
    }
    return Collections.unmodifiableMap(factors);
  }
}
