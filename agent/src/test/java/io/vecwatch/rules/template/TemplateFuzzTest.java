package io.vecwatch.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vecwatch.rules.fuzz.Bounded;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Go templates in alert labels and annotations: any text either parses or is rejected with a {@link
 * TemplateException}; whatever parses expands, for every alert value below (NaN, ±Inf, extremes and
 * one derived from the input), or fails with one; the expansion stays bounded in size; nothing
 * hangs. Seeds (real annotations, huge {@code printf} widths, deep nesting): {@code
 * TemplateFuzzTestInputs/}.
 */
class TemplateFuzzTest {
  private static final double[] VALUES = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    0.0,
    -0.0,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    1e-300,
    -1e300,
    0.5,
    3600.0
  };

  @FuzzTest
  @DictionaryEntries({
    "{{",
    "}}",
    "{{-",
    "-}}",
    "{{ ",
    " }}",
    "$labels",
    "$labels.target",
    ".Labels",
    ".Labels.x",
    "$value",
    ".Value",
    "$externalLabels",
    "$externalURL",
    "$",
    ".",
    "|",
    " | ",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "printf",
    "\"%s\"",
    "\"%d\"",
    "\"%.2f\"",
    "\"%x\"",
    "\"%v %v\"",
    "\"%999999999d\"",
    "\"%-99999999s\"",
    "\"%.999999999f\"",
    "\"%*d\"",
    "\"%[3]d\"",
    "(",
    ")",
    "index",
    "\"target\"",
    "toUpper",
    "toLower",
    "title",
    "reReplaceAll",
    "\"(.*)\"",
    "\"$1$1$1\"",
    "stripPort",
    "if",
    "end",
    "range",
    "with",
    "/*",
    "*/",
    "\"",
    "'c'",
    "`raw`",
    "1e309",
    "-1",
    "0x10",
    " ",
    "text ",
    "\\"
  })
  void anyTemplateParsesAndExpandsOrFailsWithATemplateException(byte[] bytes) throws Throwable {
    String text = new String(bytes, StandardCharsets.UTF_8);
    // One more value, arbitrary but fixed per input, so a finding reproduces.
    double derived = Double.longBitsToDouble(Arrays.hashCode(bytes) * 0x9E3779B97F4A7C15L);
    Bounded.call(
        () -> {
          Template t;
          try {
            t = Template.parse(text);
          } catch (TemplateException e) {
            assertThat(e.getMessage()).isNotBlank();
            return null;
          }
          for (double value : VALUES) {
            expand(t, value);
          }
          expand(t, derived);
          return null;
        },
        text + " with $value=" + derived);
  }

  private static void expand(Template t, double value) {
    try {
      String out =
          t.expand(
              new TemplateData(
                  Map.of("target", "milvus:19530", "x", "%d"),
                  value,
                  Map.of("cluster", "c"),
                  "http://agent:9477"));
      assertThat(out.length())
          .as("expansion size for $value=" + value)
          .isLessThanOrEqualTo(Template.MAX_EXPANSION_CHARS);
    } catch (TemplateException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
