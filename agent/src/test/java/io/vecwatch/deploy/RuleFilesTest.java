package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every expression in rules/*.yml reads only series the agent documents (or known external ones).
 */
class RuleFilesTest {

  @Test
  void everyMetricNameInARuleExpressionIsDocumentedRecordedOrKnown() throws Exception {
    List<Path> files = RuleFiles.files();
    assertThat(files).as("rule files in rules/").isNotEmpty();
    MetricContract contract = MetricContract.read(Repo.file("docs/metrics.md"));
    Set<String> recorded = RuleFiles.recorded();
    List<String> unknown = new ArrayList<>();
    int exprs = 0;
    for (Path f : files) {
      for (RuleFiles.Expr e : RuleFiles.expressions(f)) {
        exprs++;
        Set<String> names = PromQlNames.of(e.expr());
        if (e.expr().strip().equals("vector(1)")) {
          continue; // the dead man's switch reads nothing on purpose
        }
        assertThat(names).as("%s reads no metric: %s", e.where(), e.expr()).isNotEmpty();
        for (String n : names) {
          if (!contract.contains(n)
              && !recorded.contains(n)
              && !KnownSeries.EXTERNAL.contains(n)
              && !KnownSeries.AGREED_NOT_YET_DOCUMENTED.contains(n)) {
            unknown.add(e.where() + ": " + n);
          }
        }
      }
    }
    assertThat(exprs).isPositive();
    assertThat(unknown)
        .as("series neither in docs/metrics.md nor recorded nor in KnownSeries")
        .isEmpty();
  }
}
