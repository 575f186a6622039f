package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void plainSelectorIsAName() {
    assertThat(PromQlNames.of("vecwatch_target_up")).containsExactly("vecwatch_target_up");
  }

  @Test
  void functionsAggregationsAndByListsAreNotNames() {
    assertThat(
            PromQlNames.of(
                "sum by (target, dataset) (rate(vecwatch_probe_requests_total{outcome=\"error\"}[5m]))"))
        .containsExactly("vecwatch_probe_requests_total");
  }

  @Test
  void byClauseAfterTheAggregatedExpressionIsSkipped() {
    assertThat(
            PromQlNames.of(
                "histogram_quantile(0.99, sum(rate(vecwatch_probe_latency_seconds_bucket[5m])) by (le, target))"))
        .containsExactly("vecwatch_probe_latency_seconds_bucket");
  }

  @Test
  void matcherLabelNamesAndValuesAreNotNames() {
    assertThat(
            PromQlNames.of(
                "vecwatch_recall_ratio{target=~\"milvus.*\", k=\"10\", dataset!='x{y}'} < 0.95"))
        .containsExactly("vecwatch_recall_ratio");
  }

  @Test
  void grafanaVariablesAreBlanked() {
    assertThat(
            PromQlNames.of(
                "rate(vecwatch_probe_skipped_total{target=~\"$target\", dataset=~\"${dataset:regex}\"}[$__rate_interval]) "
                    + "/ on ($group) [[other]]"))
        .containsExactly("vecwatch_probe_skipped_total");
  }

  @Test
  void vectorMatchingKeywordsAndSetOperatorsAreNotNames() {
    assertThat(
            PromQlNames.of(
                "vecwatch_target_entities / ignoring (kind) group_left (version) vecwatch_build_info "
                    + "and on (target) vecwatch_target_up == bool 1 unless vecwatch_target_expected_entities offset 5m"))
        .containsExactly(
            "vecwatch_target_entities",
            "vecwatch_build_info",
            "vecwatch_target_up",
            "vecwatch_target_expected_entities");
  }

  @Test
  void numbersDurationsAndExponentsAreNotNames() {
    assertThat(
            PromQlNames.of(
                "vecwatch_probe_lag_seconds > 1e-3 * 2.5e+2 + 0x1F and vecwatch_probe_window_seconds"
                    + "[1h30m:15s] @ end()"))
        .containsExactly("vecwatch_probe_lag_seconds", "vecwatch_probe_window_seconds");
  }

  @Test
  void nameLabelMatcherYieldsTheName() {
    assertThat(PromQlNames.of("{__name__=\"vecwatch_probe_lag_seconds\", target=\"a\"}"))
        .containsExactly("vecwatch_probe_lag_seconds");
    assertThat(PromQlNames.of("{__name__=~\"vecwatch_.*\"}")).isEmpty();
  }

  @Test
  void stringArgumentsAndCommentsAreSkipped() {
    assertThat(
            PromQlNames.of(
                "label_replace(ALERTS{alertstate=\"firing\"}, \"dst\", \"$1\", \"src\", \"(not_a_metric)\") # up\n"
                    + "+ on() group_right() ALERTS_FOR_STATE"))
        .containsExactly("ALERTS", "ALERTS_FOR_STATE");
  }

  @Test
  void colonsBelongToRecordingRuleNames() {
    assertThat(PromQlNames.of("target:vecwatch_probe_errors:ratio_rate5m > 0.01"))
        .containsExactly("target:vecwatch_probe_errors:ratio_rate5m");
  }

  @Test
  void aggregationWithParameterAndLeadingBy() {
    assertThat(
            PromQlNames.of(
                "topk by (target) (5, vecwatch_probe_window_latency_seconds{quantile=\"0.99\"})"))
        .containsExactly("vecwatch_probe_window_latency_seconds");
  }

  @Test
  void variableQueriesYieldTheMetricNotTheLabel() {
    assertThat(PromQlNames.ofVariableQuery("label_values(vecwatch_target_up, target)"))
        .containsExactly("vecwatch_target_up");
    assertThat(
            PromQlNames.variableLabels(
                "label_values(vecwatch_target_up{target=~\"$target\"}, dataset)"))
        .containsExactly("dataset");
    assertThat(PromQlNames.ofVariableQuery("label_values(target)")).isEmpty();
    assertThat(PromQlNames.ofVariableQuery("query_result(count by (target) (vecwatch_target_up))"))
        .containsExactly("vecwatch_target_up");
  }
}
