package io.vecwatch.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The runbooks (docs/runbooks.md, packed in the jar) as a plain HTML page at {@code
 * /docs/runbooks.md}, each {@code ## Heading} an anchor named as GitHub names it ({@code
 * #vecwatchtargetdown}): alerts' relative {@code runbook_url}s are made absolute against the
 * agent's external URL and land on the right section.
 */
final class RunbookPage {
  private RunbookPage() {}

  static Optional<String> html() {
    try (InputStream in =
        RunbookPage.class.getResourceAsStream("/io/vecwatch/bundled/docs/runbooks.md")) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(render(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String render(String markdown) {
    StringBuilder b =
        new StringBuilder(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>vecwatch runbooks</title><style>body{font-family:sans-serif;margin:2em;max-width:50em}"
                + "pre{white-space:pre-wrap}</style></head><body>\n<pre>");
    for (String line : markdown.split("\n", -1)) {
      int level = 0;
      while (level < line.length() && line.charAt(level) == '#') {
        level++;
      }
      if (level > 0 && level <= 6 && line.length() > level && line.charAt(level) == ' ') {
        String title = line.substring(level + 1).strip();
        b.append("</pre><h")
            .append(level)
            .append(" id=\"")
            .append(anchor(title))
            .append("\">")
            .append(escape(title))
            .append("</h")
            .append(level)
            .append("><pre>");
      } else {
        b.append(escape(line)).append('\n');
      }
    }
    return b.append("</pre></body></html>\n").toString();
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
  static String anchor(String title) {
    return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
