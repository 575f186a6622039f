package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RuleFileParserTest {
  private static final Path F = Path.of("r.yml");

  private static RuleFileParser.Result parse(String yaml) {
    return RuleFileParser.parse(F, yaml);
  }

  @Test
  void readsGroupsAndRules() {
    RuleFileParser.Result r =
        parse(
            """
        groups:
          - name: g
            interval: 30s
            limit: 10
            rules:
              - record: job:x:sum
                expr: sum by (job) (x)
                labels: {src: vecwatch}
              - alert: A
                expr: x > 1
                for: 2m
                keep_firing_for: 1m
                labels: {severity: warning}
                annotations: {summary: "{{ $value }}"}
        """);
    assertThat(r.problems()).isEmpty();
    RuleGroupSpec g = r.groups().get(0);
    assertThat(g.interval()).contains(Duration.ofSeconds(30));
    assertThat(g.limit()).isEqualTo(10);
    assertThat(g.rules()).extracting(RuleSpec::name).containsExactly("job:x:sum", "A");
    RuleSpec a = g.rules().get(1);
    assertThat(a.alerting()).isTrue();
    assertThat(a.holdDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(a.keepFiringFor()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.ruleCount()).isEqualTo(2);
  }

  @Test
  void reportsEveryProblemOnOneLineNamingFileGroupAndRule() {
    RuleFileParser.Result r =
        parse(
            """
        groups:
          - name: g
            rules:
              - alert: Offset
                expr: x offset 5m > 1
              - alert: BadTemplate
                expr: x > 1
                annotations: {summary: "{{ if $value }}hi{{ end }}"}
              - record: bad name
                expr: x
              - record: r
                expr: x
                for: 1m
              - expr: x
              - alert: NoExpr
              - alert: Syntax
                expr: x >
                unknown: 1
          - name: g
        """);
    assertThat(r.ok()).isFalse();
    assertThat(r.groups()).isEmpty();
    assertThat(r.problems())
        .containsExactly(
            "r.yml: group \"g\", rule \"Offset\": unsupported: offset modifier",
            "r.yml: group \"g\", rule \"BadTemplate\": annotation \"summary\": unsupported template syntax: if",
            "r.yml: group \"g\", rule \"bad name\": invalid recording rule name: bad name",
            "r.yml: group \"g\", rule \"r\": invalid field 'for' in recording rule",
            "r.yml: group \"g\", rule 5: one of 'record' or 'alert' must be set",
            "r.yml: group \"g\", rule \"NoExpr\": field 'expr' must be set in rule",
            "r.yml: group \"g\", rule \"Syntax\": unknown key \"unknown\"",
            "r.yml: group \"g\", rule \"Syntax\": could not parse expression: parse error at char 4: unexpected end of input",
            "r.yml: groupname: \"g\" is repeated in the same file");
  }

  @Test
  void rejectsBadYamlAndUnknownTopLevelKeys() {
    assertThat(parse("groups: [").problems()).singleElement().asString().startsWith("r.yml: line ");
    assertThat(parse("group: []").problems()).containsExactly("r.yml: unknown key \"group\"");
    assertThat(parse("").problems()).isEmpty();
  }

  @Test
  void aYamlSyntaxErrorIsOneLineWithoutQuotingTheFile() {
    // Found by fuzzing: the YAML parser's own message spans lines and quotes the offending one.
    assertThat(parse("groups: - - - password: hunter2").problems())
        .containsExactly(
            "r.yml: line 1, column 9: not valid YAML: sequence entries are not allowed here");
  }

  @Test
  void recordingRuleLabelsAreLiteral() {
    RuleFileParser.Result r =
        parse(
            """
        groups:
          - name: g
            rules:
              - record: r
                expr: x
                labels: {t: "{{ not a template"}
        """);
    assertThat(r.problems()).isEmpty();
  }
}
