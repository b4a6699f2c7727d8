package dev.editflow.falsim.model;

import org.springframework.stereotype.Component;

/** {@code fal-ai/nano-banana-pro/edit}: adds {@code resolution} 1K/2K/4K. */
@Component
class NanoBananaProEdit extends NanoBananaFamily {

  @Override
  public String id() {
    return "fal-ai/nano-banana-pro/edit";
  }

  @Override
  boolean hasResolution() {
    return true;
  }
}
