package io.vecwatch.rules.template;

import io.vecwatch.rules.template.Tree.Node;
import io.vecwatch.rules.template.Tree.Text;
import java.util.List;

/**
 * A subset of Go's {@code text/template} as Prometheus uses it in alert labels and annotations:
 * text, actions with pipelines ({@code {{ $value | humanize }}}), the variables {@code $labels},
 * {@code $value}, {@code $externalLabels}, {@code $externalURL}, the fields {@code .Labels}, {@code
 * .Value}, ..., string and number literals, parentheses, comments, trim markers, and the functions
 * {@code humanize}, {@code humanize1024}, {@code humanizeDuration}, {@code humanizePercentage},
 * {@code printf}, {@code toUpper}, {@code toLower}, {@code title}, {@code reReplaceAll}, {@code
 * stripPort}, {@code index}. Anything else (if/range/with, variables, {@code query}, ...) is
 * rejected when the rule is loaded.
 *
 * <pre>{@code
 * Template t = Template.parse("P99 of {{ $labels.target }} is {{ $value | humanizeDuration }}");
 * String s = t.expand(new TemplateData(labels, 0.25, Map.of(), ""));
 * }</pre>
 */
public final class Template {
  /**
   * The longest expansion kept: a label or annotation beyond this fails to expand (it would bloat
   * every alert).
   */
  public static final int MAX_EXPANSION_CHARS = 64 * 1024;

  private final String text;
  private final List<Node> nodes;

  private Template(String text, List<Node> nodes) {
    this.text = text;
    this.nodes = nodes;
  }

  /** Parses and validates a template; throws with a message naming the unsupported construct. */
  public static Template parse(String text) throws TemplateException {
    return new Template(text, new TemplateParser(text).parse());
  }

  /** A template whose expansion is {@code text} itself (no actions are interpreted). */
  public static Template literal(String text) {
    return new Template(text, text.isEmpty() ? List.of() : List.of(new Text(text)));
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  /** Whether the template has no actions (its text is its expansion). */
  public boolean isConstant() {
    return nodes.stream().allMatch(n -> n instanceof Text);
  }

  /** Expands with Go's semantics; throws when a function fails (e.g. {@code humanize "abc"}). */
  public String expand(TemplateData data) throws TemplateException {
    return Executor.expand(nodes, data);
  }
}
