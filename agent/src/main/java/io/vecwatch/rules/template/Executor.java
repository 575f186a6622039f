package io.vecwatch.rules.template;

import io.vecwatch.rules.template.Tree.Action;
import io.vecwatch.rules.template.Tree.Command;
import io.vecwatch.rules.template.Tree.FunctionRef;
import io.vecwatch.rules.template.Tree.Group;
import io.vecwatch.rules.template.Tree.Literal;
import io.vecwatch.rules.template.Tree.Node;
import io.vecwatch.rules.template.Tree.Operand;
import io.vecwatch.rules.template.Tree.Pipeline;
import io.vecwatch.rules.template.Tree.Reference;
import io.vecwatch.rules.template.Tree.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a parsed {@link Tree} against one alert's {@link TemplateData} with Go's {@code
 * text/template} semantics.
 */
final class Executor {
  private Executor() {}

  static String expand(List<Node> nodes, TemplateData data) throws TemplateException {
    StringBuilder sb = new StringBuilder();
    for (Node n : nodes) {
      if (n instanceof Text t) {
        sb.append(t.text());
      } else {
        sb.append(GoFormat.print(pipeline(((Action) n).pipeline(), data)));
      }
      if (sb.length() > Template.MAX_EXPANSION_CHARS) {
        throw new TemplateException(
            "expansion longer than " + Template.MAX_EXPANSION_CHARS + " characters");
      }
    }
    return sb.toString();
  }

  private static Object pipeline(Pipeline p, TemplateData data) throws TemplateException {
    Object piped = null;
    boolean first = true;
    for (Command c : p.commands()) {
      piped = command(c, data, first ? null : new Object[] {piped});
      first = false;
    }
    return piped;
  }

  private static Object command(Command c, TemplateData data, Object[] piped)
      throws TemplateException {
    List<Operand> operands = c.operands();
    Operand head = operands.get(0);
    if (head instanceof FunctionRef f) {
      List<Object> args = new ArrayList<>();
      for (Operand o : operands.subList(1, operands.size())) {
        args.add(operand(o, data));
      }
      if (piped != null) {
        args.add(piped[0]);
      }
      return Functions.call(f.name(), args);
    }
    if (operands.size() > 1 || piped != null) {
      throw new TemplateException("can't give argument to non-function " + head);
    }
    return operand(head, data);
  }

  private static Object operand(Operand o, TemplateData data) throws TemplateException {
    if (o instanceof Literal l) {
      return l.value();
    }
    if (o instanceof Group g) {
      return pipeline(g.pipeline(), data);
    }
    if (o instanceof Reference r) {
      return reference(r, data);
    }
    throw new IllegalStateException("function used as a value");
  }

  private static Object reference(Reference r, TemplateData data) throws TemplateException {
    Object base =
        switch (r.root()) {
          case "Labels" -> data.labels();
          case "Value" -> data.value();
          case "ExternalLabels" -> data.externalLabels();
          case "ExternalURL" -> data.externalURL();
          default ->
              Map.of(
                  "Labels",
                  data.labels(),
                  "Value",
                  data.value(),
                  "ExternalLabels",
                  data.externalLabels(),
                  "ExternalURL",
                  data.externalURL());
        };
    if (r.key() == null) {
      return base;
    }
    if (base instanceof Map<?, ?> m) {
      Object v = m.get(r.key());
      return v == null ? "" : v;
    }
    throw new TemplateException(
        "can't evaluate field " + r.key() + " in type " + GoFormat.typeName(base));
  }
}
