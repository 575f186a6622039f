package io.vecwatch.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected expansions were checked against promtool 2.42 (Go text/template with Prometheus'
 * functions).
 */
class TemplateTest {
  private static final TemplateData DATA =
      new TemplateData(
          Map.of("__name__", "lat", "target", "milvus", "instance", "db:9091"),
          0.2,
          Map.of("cluster", "c1"),
          "http://agent:9477");

  private static String expand(String t) throws TemplateException {
    return Template.parse(t).expand(DATA);
  }

  @Test
  void expandsVariablesAndFields() throws TemplateException {
    assertThat(expand("{{ $labels.target }} {{ $value }} {{ .Labels.target }} {{ .Value }}"))
        .isEqualTo("milvus 0.2 milvus 0.2");
    assertThat(expand("{{ $externalLabels.cluster }} {{ $externalURL }} {{ $labels.missing }}|"))
        .isEqualTo("c1 http://agent:9477 |");
    assertThat(expand("{{ $labels.__name__ }}")).isEqualTo("lat");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '~',
      value = {
        "{{ humanize 1234567 }}                  ; 1.235M",
        "{{ humanize 0.000012345 }}              ; 12.35u",
        "{{ humanize 0 }}                        ; 0",
        "{{ humanize1024 2048 }}                 ; 2ki",
        "{{ humanizeDuration 3725.5 }}           ; 1h 2m 5s",
        "{{ humanizeDuration 90061 }}            ; 1d 1h 1m 1s",
        "{{ humanizeDuration 0.0015 }}           ; 1.5ms",
        "{{ humanizeDuration 42.5 }}             ; 42.5s",
        "{{ $value | humanizeDuration }}         ; 200ms",
        "{{ humanizePercentage 0.99999 }}        ; 100%",
        "{{ $value | humanizePercentage }}       ; 20%",
        "{{ printf \"%.2f\" $value }}            ; 0.20",
        "{{ $value | printf \"%.3f\" }}          ; 0.200",
        "{{ \"x\" | printf \"%s-%s\" \"a\" }}    ; a-x",
        "{{ toLower \"ABC\" | toUpper }}         ; ABC",
        "{{ title \"hello world-foo_bar\" }}     ; Hello World-Foo_bar",
        "{{ reReplaceAll \"(a+)b\" \"[$1]\" \"aaab ab\" }} ; [aaa] [a]",
        "{{ stripPort $labels.instance }}        ; db",
        "{{ index .Labels \"target\" }}          ; milvus",
        "{{ (printf \"%.1f\" 2.25) }}            ; 2.2",
        "{{- \"  a \" -}}   {{/* c */}} z        ; ~  a  z~",
      })
  void appliesPrometheusFunctions(String template, String expected) throws TemplateException {
    assertThat(expand(template)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{{ if $value }}x{{ end }}          | unsupported template syntax: if",
        "{{ range $labels }}{{ end }}       | unsupported template syntax: range",
        "{{ $x := 1 }}                      | unsupported template syntax: variable declaration $x",
        "{{ query \"up\" }}                   | unsupported template syntax: function \"query\"",
        "{{ nosuch 1 }}                     | function \"nosuch\" not defined",
        "{{ $foo }}                         | undefined variable \"$foo\"",
        "{{ $value.x }}                     | can't evaluate field x of $value",
        "{{ humanize                        | unclosed action",
      })
  void rejectsSyntaxOutsideTheSubsetAtParseTime(String template, String message) {
    assertThatThrownBy(() -> Template.parse(template))
        .isInstanceOf(TemplateException.class)
        .hasMessage(message);
  }

  @Test
  void failingFunctionsFailTheExpansion() throws TemplateException {
    Template t = Template.parse("{{ humanize \"abc\" }}");
    assertThatThrownBy(() -> t.expand(DATA))
        .hasMessage("strconv.ParseFloat: parsing \"abc\": invalid syntax");
    assertThat(Template.parse("{{ humanize \"1e3\" }}").expand(DATA)).isEqualTo("1k");
  }

  @Test
  void literalTemplatesAreNotInterpreted() throws TemplateException {
    assertThat(Template.literal("{{ $value }}").expand(DATA)).isEqualTo("{{ $value }}");
    assertThat(Template.parse("plain").isConstant()).isTrue();
  }

  // Found by TemplateFuzzTest: deep parentheses overflowed the stack; the expansion is bounded too.

  @Test
  void deeplyNestedParenthesesAreATemplateErrorNotAStackOverflow() {
    assertThatThrownBy(() -> Template.parse("{{ " + "(".repeat(3000) + "1 }}"))
        .isInstanceOf(TemplateException.class)
        .hasMessage("parentheses nested more than 100 deep");
  }

  @Test
  void anExpansionLongerThan64KiBFails() throws Exception {
    Template t = Template.parse("{{ printf \"%099999d\" 1 }}");
    assertThatThrownBy(() -> t.expand(DATA))
        .isInstanceOf(TemplateException.class)
        .hasMessage("expansion longer than 65536 characters");
  }

  @Test
  void aTenMillionDigitPrecisionFailsAsTooLongForEveryValue() throws Exception {
    // Found by fuzzing (TemplateFuzzTestInputs/.../printf-precision-ten-million): once seconds of
    // arithmetic per value; now formatted from the exact digits, then refused as too long.
    Template t = Template.parse("{{ printf \"%.9999999f\" $value }}");
    for (double v : new double[] {-7.694729911324635E-54, Double.MIN_VALUE, Double.MAX_VALUE}) {
      assertThatThrownBy(
              () -> t.expand(new TemplateData(Map.of(), v, Map.of(), "http://agent:9477")))
          .isInstanceOf(TemplateException.class)
          .hasMessage("expansion longer than 65536 characters");
    }
  }
}
