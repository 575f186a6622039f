package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.Bundled;
import io.vecwatch.rules.RuleFileParser;
import io.vecwatch.rules.RuleGroupSpec;
import io.vecwatch.rules.RuleSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectivesTest {
  @Test
  void withoutRulesTheProductionGuideApplies() {
    Objectives o = Objectives.from(List.of());
    assertThat(o.p50()).isEqualTo(0.010);
    assertThat(o.p95()).isEqualTo(0.050);
    assertThat(o.p99()).isEqualTo(0.100);
    assertThat(o.errorRatio()).isEqualTo(0.001);
    assertThat(o.timeoutRatio()).isEqualTo(0.01);
    assertThat(o.recallAt(10)).isEqualTo(0.95);
    assertThat(o.recallAt(100)).isNaN();
    assertThat(o.source()).isEqualTo("the production guide");
  }

  @Test
  void theBundledDefaultRulePackSetsTheThresholdsItAlertsOn() throws Exception {
    List<String> files = Bundled.list(Bundled.RULES, ".yml");
    assertThat(files).contains("vecwatch.rules.yml");
    List<String> exprs = new ArrayList<>();
    for (String f : files) {
      RuleFileParser.Result pack =
          RuleFileParser.parse(Path.of(f), Bundled.read(Bundled.RULES, f).orElseThrow());
      assertThat(pack.problems()).isEmpty();
      for (RuleGroupSpec g : pack.groups()) {
        for (RuleSpec r : g.rules()) {
          exprs.add(r.exprText());
        }
      }
    }
    Objectives o = Objectives.from(exprs);
    assertThat(o.p99()).isEqualTo(0.1);
    assertThat(o.p95()).isEqualTo(0.05);
    assertThat(o.p50()).isEqualTo(0.01);
    assertThat(o.errorRatio()).isEqualTo(0.01);
    assertThat(o.timeoutRatio()).isEqualTo(0.01);
    assertThat(o.recallAt(10)).isEqualTo(0.95);
    assertThat(o.source()).startsWith("the loaded alert rules");
  }

  @Test
  void aComplexExpressionIsNotMistakenForAThreshold() {
    Objectives o =
        Objectives.from(
            List.of(
                "max(vecwatch_probe_window_error_ratio) > 0.5",
                "vecwatch_probe_window_latency_seconds{quantile=\"0.99\"} > 0.1 and on() vecwatch_up == 1"));
    assertThat(o.errorRatio()).isEqualTo(0.001);
    assertThat(o.p99()).isEqualTo(0.100);
  }
}
