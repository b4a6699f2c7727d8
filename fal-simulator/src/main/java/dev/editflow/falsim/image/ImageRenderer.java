package dev.editflow.falsim.image;

import dev.editflow.falsim.SimulatorSettings;
import dev.editflow.falsim.media.MediaStore;
import dev.editflow.falsim.model.EditRequest;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Renders real output images that visibly follow the request: the first input scaled to cover the
 * requested size and aspect ratio, further inputs as thumbnails, tinted towards the first colour
 * the prompt names ("make the sky purple" → purple), and the prompt written on a caption band along
 * the bottom (with "(2/3)" when several images were asked for); encoded in the requested format.
 */
@Component
public class ImageRenderer {

  /** How far each pixel moves towards the prompt's colour: clearly tinted, still recognisable. */
  private static final double TINT_STRENGTH = 0.45;

  private final MediaStore media;

  ImageRenderer(MediaStore media) {
    this.media = media;
  }

  /** Whether an ImageIO writer for WebP is on the classpath and loads on this platform. */
  public static boolean canWriteWebp() {
    return WebpSupport.AVAILABLE;
  }

  public BufferedImage decode(byte[] bytes) throws InputNotAnImage {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new InputNotAnImage("Unsupported image format");
      }
      return image;
    } catch (IOException | RuntimeException e) {
      throw new InputNotAnImage(e.toString());
    }
  }

  /** Output width and height for the request, given the first input's size. */
  static int[] outputSize(EditRequest request, int longSideOverride, int inWidth, int inHeight) {
    int longSide =
        longSideOverride > 0
            ? longSideOverride
            : switch (request.resolution()) {
              case "2K" -> 2048;
              case "4K" -> 4096;
              default -> 1024;
            };
    double ratio;
    if ("auto".equals(request.aspectRatio())) {
      ratio = inWidth / (double) inHeight;
    } else {
      String[] parts = request.aspectRatio().split(":");
      ratio = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
    }
    return ratio >= 1
        ? new int[] {longSide, Math.max(1, (int) Math.round(longSide / ratio))}
        : new int[] {Math.max(1, (int) Math.round(longSide * ratio)), longSide};
  }

  /**
   * Renders output number {@code index} and stores it as media.
   *
   * @param expiresAt when the file stops being served, null never
   */
  public OutputImage render(
      List<BufferedImage> inputs,
      EditRequest request,
      int index,
      String baseName,
      SimulatorSettings.Output settings,
      @Nullable Instant expiresAt) {
    BufferedImage first = inputs.getFirst();
    int[] size = outputSize(request, settings.longSide(), first.getWidth(), first.getHeight());
    BufferedImage out = compose(inputs, size[0], size[1]);
    transform(
        out,
        PromptColour.in(request.prompt()),
        settings.noise(),
        request.prompt().hashCode() * 31L + index);
    Caption.draw(
        out,
        request.numImages() > 1
            ? request.prompt() + " (" + (index + 1) + "/" + request.numImages() + ")"
            : request.prompt());

    String format = request.outputFormat();
    if ("webp".equals(format) && !canWriteWebp()) {
      format = "png";
    }
    String extension = "jpeg".equals(format) ? "jpg" : format;
    Path path = media.newFile(baseName + "-" + index + "." + extension);
    try {
      if (!ImageIO.write(out, format, path.toFile())) {
        throw new IOException("No ImageIO writer for " + format);
      }
      FilePadding.pad(path, format, settings.minFileSize().toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var file = media.register(path, "image/" + format, expiresAt);
    return new OutputImage(file, size[0], size[1]);
  }

  private static BufferedImage compose(List<BufferedImage> inputs, int width, int height) {
    var out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      drawCover(g, inputs.getFirst(), 0, 0, width, height);
      int thumb = Math.max(1, Math.min(width, height) / 5);
      for (int i = 1; i < inputs.size(); i++) {
        int x = (i - 1) * (thumb + thumb / 8) + thumb / 8;
        if (x + thumb > width) {
          break;
        }
        drawCover(g, inputs.get(i), x, height - thumb - thumb / 8, thumb, thumb);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static void drawCover(Graphics2D g, BufferedImage image, int x, int y, int w, int h) {
    double scale = Math.max(w / (double) image.getWidth(), h / (double) image.getHeight());
    int dw = (int) Math.ceil(image.getWidth() * scale);
    int dh = (int) Math.ceil(image.getHeight() * scale);
    var clip = g.getClip();
    g.clipRect(x, y, w, h);
    g.drawImage(image, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh, null);
    g.setClip(clip);
  }

  private static void transform(BufferedImage image, OptionalInt colour, int noise, long seed) {
    if (colour.isEmpty() && noise == 0) {
      return;
    }
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    var random = noise > 0 ? new SplittableRandom(seed) : null;
    int tint = colour.orElse(0);
    double keep = colour.isPresent() ? 1 - TINT_STRENGTH : 1;
    double add = colour.isPresent() ? TINT_STRENGTH : 0;
    for (int i = 0; i < pixels.length; i++) {
      int p = pixels[i];
      int r = (int) Math.round(((p >> 16) & 0xFF) * keep + ((tint >> 16) & 0xFF) * add);
      int gr = (int) Math.round(((p >> 8) & 0xFF) * keep + ((tint >> 8) & 0xFF) * add);
      int b = (int) Math.round((p & 0xFF) * keep + (tint & 0xFF) * add);
      if (random != null) {
        r = clamp(r + random.nextInt(-noise, noise + 1));
        gr = clamp(gr + random.nextInt(-noise, noise + 1));
        b = clamp(b + random.nextInt(-noise, noise + 1));
      }
      pixels[i] = (r << 16) | (gr << 8) | b;
    }
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** Probes the WebP writer once: the plugin's native library may not load on every platform. */
  private static final class WebpSupport {
    static final boolean AVAILABLE = probe();

    private static boolean probe() {
      try {
        var probe = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        return ImageIO.write(probe, "webp", new java.io.ByteArrayOutputStream());
      } catch (IOException | RuntimeException | LinkageError e) {
        return false;
      }
    }
  }
}
