package io.vecwatch.rules.template;

import java.util.List;

/**
 * A parsed template: text and actions; an action is a pipeline of commands, a command a function
 * with its arguments or a single operand. Pure data: {@link TemplateParser} builds it, {@link
 * Executor} runs it.
 */
final class Tree {
  private Tree() {}

  sealed interface Node permits Text, Action {}

  record Text(String text) implements Node {}

  record Action(Pipeline pipeline) implements Node {}

  record Pipeline(List<Command> commands) {}

  record Command(List<Operand> operands) {}

  sealed interface Operand permits FunctionRef, Literal, Reference, Group {}

  record FunctionRef(String name) implements Operand {}

  record Literal(Object value) implements Operand {}

  /** {@code $labels.x}, {@code .Labels.x}, {@code $value}, ...: a root and at most one map key. */
  record Reference(String root, String key) implements Operand {
    @Override
    public String toString() {
      return "." + root + (key == null ? "" : "." + key);
    }
  }

  record Group(Pipeline pipeline) implements Operand {}
}
