package dev.editflow.fal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The successful result of an image model. */
public record FalResult(List<FalImage> images, @Nullable String description) {

  public FalResult {
    images = List.copyOf(images);
  }
}
