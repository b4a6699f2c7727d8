package dev.editflow.image;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The image types editflow stores, with the media type and file extension we give them. */
public enum ImageType {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpg"),
  WEBP("image/webp", "webp");

  private final String mediaType;
  private final String extension;

  ImageType(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  public String mediaType() {
    return mediaType;
  }

  public String extension() {
    return extension;
  }

  /**
   * The type a declared content type names, ignoring parameters and case, with the common aliases
   * ({@code image/jpg}, {@code image/pjpeg}); empty for anything else.
   */
  public static Optional<ImageType> ofMediaType(@Nullable String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (bare) {
      case "image/png", "image/x-png" -> Optional.of(PNG);
      case "image/jpeg", "image/jpg", "image/pjpeg" -> Optional.of(JPEG);
      case "image/webp" -> Optional.of(WEBP);
      default -> Optional.empty();
    };
  }
}
