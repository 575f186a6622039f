package io.vecwatch.rules;

import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.promql.EvalException;
import io.vecwatch.rules.template.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recording rule: stores its expression's result under a new metric name (Prometheus'
 * RecordingRule).
 */
public final class RecordingRule extends Rule {
  RecordingRule(RuleSpec spec) {
    super(spec);
  }

  @Override
  List<Sample> eval(long t, EvalContext ctx, int limit) {
    List<Sample> in = query(ctx, spec(), t);
    List<Sample> out = new ArrayList<>(in.size());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : in) {
      Labels.Builder b = s.labels().toBuilder().set(Labels.NAME, spec().name());
      for (Map.Entry<String, Template> l : spec().labels().entrySet()) {
        b.set(l.getKey(), l.getValue().text());
      }
      Labels labels = b.build();
      if (!seen.add(labels)) {
        throw new EvalException(
            "vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Sample(labels, s.value()));
    }
    if (limit > 0 && out.size() > limit) {
      throw new EvalException("exceeded limit of " + limit + " with " + out.size() + " series");
    }
    return out;
  }
}
