package dev.editflow.falsim.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The first colour a prompt names ("make the sky purple" → purple), as 0xRRGGBB. */
final class PromptColour {

  private static final Map<String, Integer> COLOURS = new LinkedHashMap<>();

  static {
    COLOURS.put("red", 0xE02020);
    COLOURS.put("orange", 0xF08020);
    COLOURS.put("yellow", 0xF0D020);
    COLOURS.put("gold", 0xD4AF37);
    COLOURS.put("green", 0x20B040);
    COLOURS.put("teal", 0x208080);
    COLOURS.put("cyan", 0x20D0E0);
    COLOURS.put("blue", 0x2050E0);
    COLOURS.put("navy", 0x202080);
    COLOURS.put("purple", 0x8030C0);
    COLOURS.put("violet", 0x9050E0);
    COLOURS.put("magenta", 0xE020C0);
    COLOURS.put("pink", 0xF080B0);
    COLOURS.put("brown", 0x805020);
    COLOURS.put("black", 0x101010);
    COLOURS.put("white", 0xF8F8F8);
    COLOURS.put("gray", 0x808080);
    COLOURS.put("grey", 0x808080);
  }

  private static final Pattern WORD = Pattern.compile("[a-z]+");

  private PromptColour() {}

  static OptionalInt in(String prompt) {
    Matcher words = WORD.matcher(prompt.toLowerCase(Locale.ROOT));
    while (words.find()) {
      Integer colour = COLOURS.get(words.group());
      if (colour != null) {
        return OptionalInt.of(colour);
      }
    }
    return OptionalInt.empty();
  }
}
