package dev.editflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.stack.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in every Markdown file of the repository leads somewhere inside it: the file
 * or folder exists, and a {@code #heading} in another Markdown file is one of its headings. Links
 * to the web are not followed (there is no network in the build).
 */
class DocumentationLinksTests {

  private static final Path ROOT = ServiceProcess.repositoryRoot();
  private static final Pattern INLINE_LINK =
      Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE =
      Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
  private static final Pattern HTML = Pattern.compile("(?i)(?:href|src)\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*(```|~~~).*?^\\s*\\1\\s*$");
  private static final Pattern CODE = Pattern.compile("`[^`\\n]*`");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  @Test
  void everyRelativeLinkInTheDocumentationResolves() throws IOException {
    List<Path> documents = markdownFiles();
    List<String> dead = new ArrayList<>();
    int relative = 0;
    for (Path document : documents) {
      for (String target : links(Files.readString(document, StandardCharsets.UTF_8))) {
        relative += SCHEME.matcher(target).find() ? 0 : 1;
        problem(document, target)
            .ifPresent(p -> dead.add(ROOT.relativize(document) + ": " + target + " (" + p + ")"));
      }
    }

    assertThat(documents).as("Markdown files found").hasSizeGreaterThan(5);
    assertThat(relative).as("relative links checked").isGreaterThan(10);
    assertThat(dead).as("dead links").isEmpty();
  }

  @Test
  void findsDeadLinksHeadingsAndLinksLeavingTheRepository() {
    Path readme = ROOT.resolve("README.md");

    assertThat(problem(readme, "../shared/BRIEF.md")).isPresent();
    assertThat(problem(readme, "local-stack/NOPE.md")).isPresent();
    assertThat(problem(readme, "local-stack/README.md#no-such-heading")).isPresent();
    assertThat(problem(readme, "local-stack/README.md")).isEmpty();
    assertThat(problem(readme, "https://www.standardwebhooks.com/")).isEmpty();
    assertThat(links("see `[not](a-link.md)` and\n```\n[nor](this.md)\n```\n[but](this.md)"))
        .containsExactly("this.md");
  }

  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.toString().endsWith(".md"))
          .filter(DocumentationLinksTests::isSource)
          .sorted()
          .toList();
    }
  }

  /** Not build output, dependencies or tool folders. */
  private static boolean isSource(Path file) {
    for (Path part : ROOT.relativize(file)) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  static List<String> links(String markdown) {
    String text = CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
    List<String> found = new ArrayList<>();
    for (Pattern pattern : List.of(INLINE_LINK, REFERENCE, HTML)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        found.add(m.group(1));
      }
    }
    return found;
  }

  /** Why a link from {@code document} is dead, or empty when it resolves. */
  static java.util.Optional<String> problem(Path document, String target) {
    if (SCHEME.matcher(target).find() || target.startsWith("//")) {
      return java.util.Optional.empty();
    }
    String path = target;
    String anchor = null;
    int hash = path.indexOf('#');
    if (hash >= 0) {
      anchor = path.substring(hash + 1);
      path = path.substring(0, hash);
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    Path resolved =
        path.isEmpty()
            ? document
            : document
                .getParent()
                .resolve(java.net.URLDecoder.decode(path, StandardCharsets.UTF_8))
                .normalize();
    if (!resolved.startsWith(ROOT)) {
      return java.util.Optional.of("outside the repository");
    }
    if (!Files.exists(resolved)) {
      return java.util.Optional.of("no such file");
    }
    if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md")) {
      try {
        if (!anchors(Files.readString(resolved, StandardCharsets.UTF_8)).contains(anchor)) {
          return java.util.Optional.of("no such heading");
        }
      } catch (IOException e) {
        return java.util.Optional.of(e.toString());
      }
    }
    return java.util.Optional.empty();
  }

  /** The anchors GitHub gives a document's headings. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
    while (m.find()) {
      String slug =
          m.group(1)
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      String unique = slug;
      for (int i = 1; !anchors.add(unique); i++) {
        unique = slug + "-" + i;
      }
    }
    return anchors;
  }
}
