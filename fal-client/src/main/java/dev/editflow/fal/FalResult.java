package dev.editflow.fal;

import dev.editflow.model.message.GeneratedImage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The successful result of an image model. */
public record FalResult(List<FalImage> images, @Nullable String description) {

  public FalResult {
    images = List.copyOf(images);
  }

  /** The images as the worker hands them to the archiver, numbered from 0. */
  public List<GeneratedImage> generatedImages() {
    List<GeneratedImage> generated = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      FalImage image = images.get(i);
      generated.add(
          new GeneratedImage(
              i,
              image.url(),
              image.contentType(),
              image.fileSize(),
              image.width(),
              image.height()));
    }
    return generated;
  }
}
