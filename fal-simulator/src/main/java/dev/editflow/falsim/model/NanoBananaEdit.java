package dev.editflow.falsim.model;

import org.springframework.stereotype.Component;

/** {@code fal-ai/nano-banana/edit}: no {@code resolution}, always 1K. */
@Component
class NanoBananaEdit extends NanoBananaFamily {

  @Override
  public String id() {
    return "fal-ai/nano-banana/edit";
  }

  @Override
  boolean hasResolution() {
    return false;
  }
}
