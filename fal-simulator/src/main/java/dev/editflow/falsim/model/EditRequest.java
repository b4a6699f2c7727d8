package dev.editflow.falsim.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a model's input that the simulator acts on, after validation.
 *
 * @param prompt the edit instruction
 * @param imageUrls input image URLs (or data URIs), in input order
 * @param numImages how many output images to produce
 * @param aspectRatio {@code auto} or {@code W:H}
 * @param resolution {@code 1K}, {@code 2K} or {@code 4K}
 * @param outputFormat {@code png}, {@code jpeg} or {@code webp}
 * @param seed the caller's seed, echoed by models that return it
 */
public record EditRequest(
    String prompt,
    List<String> imageUrls,
    int numImages,
    String aspectRatio,
    String resolution,
    String outputFormat,
    @Nullable Long seed) {}
