package io.vecwatch.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.rules.fuzz.Bounded;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Go templates in alert labels and annotations: any text either parses or is rejected with a {@link
 * TemplateException}; whatever parses expands, for any alert value, or fails with one; the
 * expansion stays bounded in size; nothing hangs.
 */
class TemplateFuzzTest {
  private static final List<String> TOKENS =
      List.of(
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
          "\\");

  @Provide
  Arbitrary<String> templates() {
    Arbitrary<String> soup =
        Arbitraries.of(TOKENS).list().ofMaxSize(20).map(l -> String.join("", l));
    Arbitrary<String> spaced =
        Arbitraries.of(TOKENS).list().ofMaxSize(20).map(l -> "{{ " + String.join(" ", l) + " }}");
    Arbitrary<String> raw = Arbitraries.strings().ofMaxLength(60);
    Arbitrary<String> nested =
        Arbitraries.integers().between(1, 3000).map(n -> "{{ " + "(".repeat(n) + "1 }}");
    return Arbitraries.oneOf(soup, spaced, raw, nested);
  }

  @Provide
  Arbitrary<Double> values() {
    return Arbitraries.oneOf(
        Arbitraries.of(
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
            3600.0),
        Arbitraries.doubles());
  }

  @Property
  void anyTemplateParsesAndExpandsOrFailsWithATemplateException(
      @ForAll("templates") String text, @ForAll("values") double value) throws Throwable {
    Bounded.call(
        () -> {
          Template t;
          try {
            t = Template.parse(text);
          } catch (TemplateException e) {
            assertThat(e.getMessage()).isNotBlank();
            return null;
          }
          try {
            String out =
                t.expand(
                    new TemplateData(
                        Map.of("target", "milvus:19530", "x", "%d"),
                        value,
                        Map.of("cluster", "c"),
                        "http://agent:9477"));
            assertThat(out.length())
                .as("expansion size")
                .isLessThanOrEqualTo(Template.MAX_EXPANSION_CHARS);
          } catch (TemplateException e) {
            assertThat(e.getMessage()).isNotBlank();
          }
          return null;
        },
        text + " with $value=" + value);
  }
}
