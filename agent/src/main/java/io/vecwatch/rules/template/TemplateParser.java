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
import java.util.Set;

/**
 * Scans and parses a template into a {@link Tree}, rejecting what {@link Template} does not support
 * (with a message naming the construct) so a rule with such a template fails when it is loaded, not
 * when it fires.
 */
final class TemplateParser {
  /**
   * Deepest parenthesised pipeline accepted (far beyond any label or annotation; keeps the stack
   * bounded).
   */
  static final int MAX_PARENS = 100;

  private static final Set<String> KEYWORDS =
      Set.of(
          "if",
          "else",
          "end",
          "range",
          "with",
          "define",
          "template",
          "block",
          "break",
          "continue",
          "nil");
  private static final Set<String> VARIABLES =
      Set.of("$labels", "$value", "$externalLabels", "$externalURL", "$");
  private static final Set<String> FIELDS =
      Set.of("Labels", "Value", "ExternalLabels", "ExternalURL");

  private final String s;
  private int pos;
  private int parens;

  TemplateParser(String s) {
    this.s = s;
  }

  List<Node> parse() throws TemplateException {
    List<Node> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    while (pos < s.length()) {
      int open = s.indexOf("{{", pos);
      if (open < 0) {
        text.append(s, pos, s.length());
        break;
      }
      text.append(s, pos, open);
      pos = open + 2;
      boolean trimLeft = pos + 1 < s.length() && s.charAt(pos) == '-' && isSpace(s.charAt(pos + 1));
      if (trimLeft) {
        pos += 2;
        int k = text.length();
        while (k > 0 && isSpace(text.charAt(k - 1))) {
          k--;
        }
        text.setLength(k);
      }
      if (text.length() > 0) {
        out.add(new Text(text.toString()));
        text.setLength(0);
      }
      skipSpaces();
      if (s.startsWith("/*", pos)) {
        int end = s.indexOf("*/", pos + 2);
        if (end < 0) {
          throw new TemplateException("unclosed comment");
        }
        pos = end + 2;
        skipSpaces();
        closeAction(text);
        continue;
      }
      Pipeline p = pipeline(false);
      out.add(new Action(p));
      closeAction(text);
    }
    if (text.length() > 0) {
      out.add(new Text(text.toString()));
    }
    return List.copyOf(out);
  }

  /** Consumes {@code }}} or {@code -}}}; a trim marker drops the whitespace after it. */
  private void closeAction(StringBuilder text) throws TemplateException {
    skipSpaces();
    if (s.startsWith("-}}", pos) && pos > 0 && isSpace(s.charAt(pos - 1))) {
      pos += 3;
      while (pos < s.length() && isSpace(s.charAt(pos))) {
        pos++;
      }
      return;
    }
    if (s.startsWith("}}", pos)) {
      pos += 2;
      return;
    }
    throw new TemplateException(
        pos >= s.length() ? "unclosed action" : "unexpected \"" + s.charAt(pos) + "\" in action");
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private void skipSpaces() {
    while (pos < s.length() && isSpace(s.charAt(pos))) {
      pos++;
    }
  }

  private boolean atActionEnd() {
    return s.startsWith("}}", pos)
        || (s.startsWith("-}}", pos) && pos > 0 && isSpace(s.charAt(pos - 1)));
  }

  private Pipeline pipeline(boolean inParens) throws TemplateException {
    List<Command> commands = new ArrayList<>();
    while (true) {
      commands.add(command(inParens));
      skipSpaces();
      if (pos < s.length() && s.charAt(pos) == '|') {
        pos++;
        continue;
      }
      break;
    }
    for (int k = 1; k < commands.size(); k++) {
      if (!(commands.get(k).operands().get(0) instanceof FunctionRef)) {
        throw new TemplateException("non-function in pipeline stage " + (k + 1));
      }
    }
    return new Pipeline(List.copyOf(commands));
  }

  private Command command(boolean inParens) throws TemplateException {
    List<Operand> ops = new ArrayList<>();
    while (true) {
      skipSpaces();
      if (pos >= s.length()) {
        throw new TemplateException("unclosed action");
      }
      char c = s.charAt(pos);
      if (atActionEnd() || c == '|' || (c == ')' && inParens)) {
        break;
      }
      ops.add(operand());
    }
    if (ops.isEmpty()) {
      throw new TemplateException("missing value for command");
    }
    if (ops.get(0) instanceof FunctionRef f) {
      Functions.checkArity(f.name(), ops.size() - 1);
    }
    for (Operand o : ops.subList(1, ops.size())) {
      if (o instanceof FunctionRef f && !Functions.takesNoArguments(f.name())) {
        throw new TemplateException(
            "function " + f.name() + " used as an argument; wrap it in parentheses");
      }
    }
    return new Command(List.copyOf(ops));
  }

  private Operand operand() throws TemplateException {
    char c = s.charAt(pos);
    if (c == '(') {
      pos++;
      if (++parens > MAX_PARENS) {
        throw new TemplateException("parentheses nested more than " + MAX_PARENS + " deep");
      }
      Pipeline p = pipeline(true);
      parens--;
      skipSpaces();
      if (pos >= s.length() || s.charAt(pos) != ')') {
        throw new TemplateException("unclosed left paren");
      }
      pos++;
      return new Group(p);
    }
    if (c == '"') {
      return new Literal(quoted());
    }
    if (c == '`') {
      int end = s.indexOf('`', pos + 1);
      if (end < 0) {
        throw new TemplateException("unterminated raw quoted string");
      }
      String v = s.substring(pos + 1, end);
      pos = end + 1;
      return new Literal(v);
    }
    if (c == '$') {
      int start = pos++;
      while (pos < s.length() && isIdent(s.charAt(pos))) {
        pos++;
      }
      String var = s.substring(start, pos);
      int save = pos;
      skipSpacesNoNewline();
      if (s.startsWith(":=", pos) || (s.startsWith("=", pos) && !s.startsWith("==", pos))) {
        throw new TemplateException("unsupported template syntax: variable declaration " + var);
      }
      pos = save;
      if (!VARIABLES.contains(var)) {
        throw new TemplateException("undefined variable \"" + var + "\"");
      }
      String root =
          switch (var) {
            case "$labels" -> "Labels";
            case "$value" -> "Value";
            case "$externalLabels" -> "ExternalLabels";
            case "$externalURL" -> "ExternalURL";
            default -> null;
          };
      List<String> fields = fields();
      if (root == null) {
        if (fields.isEmpty()) {
          return new Reference("", null);
        }
        root = fields.remove(0);
        if (!FIELDS.contains(root)) {
          throw new TemplateException("can't evaluate field " + root);
        }
      }
      return reference(root, fields, var);
    }
    if (c == '.') {
      List<String> fields = fields();
      if (fields.isEmpty()) {
        return new Reference("", null);
      }
      String root = fields.remove(0);
      if (!FIELDS.contains(root)) {
        throw new TemplateException("can't evaluate field " + root);
      }
      return reference(root, fields, "." + root);
    }
    if (c == '-' || c == '+' || Character.isDigit(c)) {
      int start = pos++;
      while (pos < s.length()
          && (Character.isLetterOrDigit(s.charAt(pos))
              || s.charAt(pos) == '.'
              || ((s.charAt(pos) == '-' || s.charAt(pos) == '+')
                  && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')))) {
        pos++;
      }
      String num = s.substring(start, pos);
      try {
        if (num.matches("[+-]?\\d+")) {
          return new Literal(Long.parseLong(num));
        }
        return new Literal(Double.parseDouble(num));
      } catch (NumberFormatException e) {
        throw new TemplateException("bad number syntax: \"" + num + "\"");
      }
    }
    if (Character.isLetter(c) || c == '_') {
      int start = pos;
      while (pos < s.length() && isIdent(s.charAt(pos))) {
        pos++;
      }
      String word = s.substring(start, pos);
      if (word.equals("true") || word.equals("false")) {
        return new Literal(Boolean.parseBoolean(word));
      }
      if (KEYWORDS.contains(word)) {
        throw new TemplateException("unsupported template syntax: " + word);
      }
      if (!Functions.isKnown(word)) {
        if (Functions.isUnsupported(word)) {
          throw new TemplateException("unsupported template syntax: function \"" + word + "\"");
        }
        throw new TemplateException("function \"" + word + "\" not defined");
      }
      return new FunctionRef(word);
    }
    throw new TemplateException("unsupported template syntax: unexpected \"" + c + "\" in operand");
  }

  private void skipSpacesNoNewline() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private Reference reference(String root, List<String> fields, String written)
      throws TemplateException {
    boolean isMap = root.equals("Labels") || root.equals("ExternalLabels");
    if (fields.isEmpty()) {
      return new Reference(root, null);
    }
    if (!isMap || fields.size() > 1) {
      throw new TemplateException(
          "can't evaluate field " + String.join(".", fields) + " of " + written);
    }
    return new Reference(root, fields.get(0));
  }

  /** Reads {@code .a.b.c} at pos. */
  private List<String> fields() {
    List<String> out = new ArrayList<>();
    while (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      int start = pos;
      while (pos < s.length() && isIdent(s.charAt(pos))) {
        pos++;
      }
      if (pos > start) {
        out.add(s.substring(start, pos));
      }
    }
    return out;
  }

  private static boolean isIdent(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private String quoted() throws TemplateException {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\n') {
        break;
      }
      if (c == '\\' && pos < s.length()) {
        char e = s.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          case '\'' -> sb.append('\'');
          default -> throw new TemplateException("unsupported escape \\" + e + " in string");
        }
      } else {
        sb.append(c);
      }
    }
    throw new TemplateException("unterminated quoted string");
  }
}
