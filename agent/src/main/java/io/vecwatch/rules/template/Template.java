package io.vecwatch.rules.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A subset of Go's {@code text/template} as Prometheus uses it in alert labels and annotations: text, actions
 * with pipelines ({@code {{ $value | humanize }}}), the variables {@code $labels}, {@code $value},
 * {@code $externalLabels}, {@code $externalURL}, the fields {@code .Labels}, {@code .Value}, ..., string and number
 * literals, parentheses, comments, trim markers, and the functions {@code humanize}, {@code humanize1024},
 * {@code humanizeDuration}, {@code humanizePercentage}, {@code printf}, {@code toUpper}, {@code toLower},
 * {@code title}, {@code reReplaceAll}, {@code stripPort}, {@code index}. Anything else (if/range/with, variables,
 * {@code query}, ...) is rejected when the rule is loaded.
 *
 * <pre>{@code
 * Template t = Template.parse("P99 of {{ $labels.target }} is {{ $value | humanizeDuration }}");
 * String s = t.expand(new TemplateData(labels, 0.25, Map.of(), ""));
 * }</pre>
 */
public final class Template {
  private static final Set<String> KEYWORDS = Set.of(
      "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil");
  private static final Set<String> VARIABLES = Set.of("$labels", "$value", "$externalLabels", "$externalURL", "$");
  private static final Set<String> FIELDS = Set.of("Labels", "Value", "ExternalLabels", "ExternalURL");

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
    StringBuilder sb = new StringBuilder();
    for (Node n : nodes) {
      if (n instanceof Text t) {
        sb.append(t.text());
      } else {
        sb.append(GoFormat.print(((Action) n).pipeline().eval(data)));
      }
    }
    return sb.toString();
  }

  // ---- tree ----

  sealed interface Node permits Text, Action {}

  record Text(String text) implements Node {}

  record Action(Pipeline pipeline) implements Node {}

  record Pipeline(List<Command> commands) {
    Object eval(TemplateData data) throws TemplateException {
      Object piped = null;
      boolean first = true;
      for (Command c : commands) {
        piped = c.eval(data, first ? null : new Object[] {piped});
        first = false;
      }
      return piped;
    }
  }

  record Command(List<Operand> operands) {
    Object eval(TemplateData data, Object[] piped) throws TemplateException {
      Operand head = operands.get(0);
      if (head instanceof FunctionRef f) {
        List<Object> args = new ArrayList<>();
        for (Operand o : operands.subList(1, operands.size())) {
          args.add(o.eval(data));
        }
        if (piped != null) {
          args.add(piped[0]);
        }
        return Functions.call(f.name(), args);
      }
      if (operands.size() > 1 || piped != null) {
        throw new TemplateException("can't give argument to non-function " + head);
      }
      return head.eval(data);
    }
  }

  sealed interface Operand permits FunctionRef, Literal, Reference, Group {
    Object eval(TemplateData data) throws TemplateException;
  }

  record FunctionRef(String name) implements Operand {
    @Override
    public Object eval(TemplateData data) {
      throw new IllegalStateException("function used as a value");
    }
  }

  record Literal(Object value) implements Operand {
    @Override
    public Object eval(TemplateData data) {
      return value;
    }
  }

  /** {@code $labels.x}, {@code .Labels.x}, {@code $value}, ...: a root and at most one map key. */
  record Reference(String root, String key) implements Operand {
    @Override
    public Object eval(TemplateData data) throws TemplateException {
      Object base = switch (root) {
        case "Labels" -> data.labels();
        case "Value" -> data.value();
        case "ExternalLabels" -> data.externalLabels();
        case "ExternalURL" -> data.externalURL();
        default -> Map.of("Labels", data.labels(), "Value", data.value(), "ExternalLabels",
            data.externalLabels(), "ExternalURL", data.externalURL());
      };
      if (key == null) {
        return base;
      }
      if (base instanceof Map<?, ?> m) {
        Object v = m.get(key);
        return v == null ? "" : v;
      }
      throw new TemplateException("can't evaluate field " + key + " in type " + GoFormat.typeName(base));
    }

    @Override
    public String toString() {
      return "." + root + (key == null ? "" : "." + key);
    }
  }

  record Group(Pipeline pipeline) implements Operand {
    @Override
    public Object eval(TemplateData data) throws TemplateException {
      return pipeline.eval(data);
    }
  }

  // ---- parser ----

  private static final class TemplateParser {
    private final String s;
    private int pos;

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
      throw new TemplateException(pos >= s.length() ? "unclosed action" : "unexpected \"" + s.charAt(pos)
          + "\" in action");
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
      return s.startsWith("}}", pos) || (s.startsWith("-}}", pos) && pos > 0 && isSpace(s.charAt(pos - 1)));
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
          throw new TemplateException("function " + f.name() + " used as an argument; wrap it in parentheses");
        }
      }
      return new Command(List.copyOf(ops));
    }

    private Operand operand() throws TemplateException {
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        Pipeline p = pipeline(true);
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
        String root = switch (var) {
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
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.'
            || ((s.charAt(pos) == '-' || s.charAt(pos) == '+') && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')))) {
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

    private Reference reference(String root, List<String> fields, String written) throws TemplateException {
      boolean isMap = root.equals("Labels") || root.equals("ExternalLabels");
      if (fields.isEmpty()) {
        return new Reference(root, null);
      }
      if (!isMap || fields.size() > 1) {
        throw new TemplateException("can't evaluate field " + String.join(".", fields) + " of " + written);
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

  // ---- functions ----

  /** The supported functions, with Prometheus' implementations. */
  static final class Functions {
    private static final Map<String, int[]> ARITY = Map.ofEntries(
        Map.entry("humanize", new int[] {1, 1}),
        Map.entry("humanize1024", new int[] {1, 1}),
        Map.entry("humanizeDuration", new int[] {1, 1}),
        Map.entry("humanizePercentage", new int[] {1, 1}),
        Map.entry("printf", new int[] {1, Integer.MAX_VALUE}),
        Map.entry("toUpper", new int[] {1, 1}),
        Map.entry("toLower", new int[] {1, 1}),
        Map.entry("title", new int[] {1, 1}),
        Map.entry("reReplaceAll", new int[] {3, 3}),
        Map.entry("stripPort", new int[] {1, 1}),
        Map.entry("index", new int[] {2, 2}));
    private static final Set<String> UNSUPPORTED = Set.of(
        "query", "first", "label", "value", "strvalue", "args", "safeHtml", "match", "graphLink", "tableLink",
        "sortByLabel", "stripDomain", "humanizeTimestamp", "toTime", "pathPrefix", "externalURL", "parseDuration",
        "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "print", "println", "html", "js", "urlquery",
        "slice", "call");

    private Functions() {}

    static boolean isKnown(String name) {
      return ARITY.containsKey(name);
    }

    static boolean isUnsupported(String name) {
      return UNSUPPORTED.contains(name);
    }

    static boolean takesNoArguments(String name) {
      return false;
    }

    static void checkArity(String name, int given) throws TemplateException {
      int[] a = ARITY.get(name);
      if (given < a[0] || given > a[1]) {
        // Arguments may also arrive through a pipe, so one missing argument is fine here.
        if (given + 1 < a[0] || given > a[1]) {
          throw new TemplateException("wrong number of args for " + name + ": want " + a[0] + " got " + given);
        }
      }
    }

    static Object call(String name, List<Object> args) throws TemplateException {
      int[] a = ARITY.get(name);
      if (args.size() < a[0] || args.size() > a[1]) {
        throw new TemplateException("wrong number of args for " + name + ": want " + a[0] + " got " + args.size());
      }
      switch (name) {
        case "humanize":
          return humanize(toFloat(args.get(0)));
        case "humanize1024":
          return humanize1024(toFloat(args.get(0)));
        case "humanizeDuration":
          return humanizeDuration(toFloat(args.get(0)));
        case "humanizePercentage":
          return GoFormat.formatFloat(toFloat(args.get(0)) * 100, 'g', 4) + "%";
        case "printf": {
          if (!(args.get(0) instanceof String f)) {
            throw new TemplateException("wrong type for value; expected string; got " + GoFormat.typeName(args.get(0)));
          }
          return GoFormat.sprintf(f, args.subList(1, args.size()));
        }
        case "toUpper":
          return string(args.get(0)).toUpperCase(Locale.ROOT);
        case "toLower":
          return string(args.get(0)).toLowerCase(Locale.ROOT);
        case "title":
          return title(string(args.get(0)));
        case "reReplaceAll": {
          try {
            return Pattern.compile(string(args.get(0))).matcher(string(args.get(2)))
                .replaceAll(goReplacement(string(args.get(1))));
          } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new TemplateException("reReplaceAll: " + e.getMessage());
          }
        }
        case "stripPort": {
          String hp = string(args.get(0));
          if (hp.startsWith("[")) {
            int end = hp.indexOf("]:");
            return end > 0 ? hp.substring(1, end) : hp;
          }
          int colon = hp.lastIndexOf(':');
          return colon > 0 && hp.indexOf(':') == colon ? hp.substring(0, colon) : hp;
        }
        case "index": {
          if (!(args.get(0) instanceof Map<?, ?> m)) {
            throw new TemplateException("can't index item of type " + GoFormat.typeName(args.get(0)));
          }
          Object v = m.get(string(args.get(1)));
          return v == null ? "" : v;
        }
        default:
          throw new TemplateException("function \"" + name + "\" not defined");
      }
    }

    private static String string(Object o) throws TemplateException {
      if (o instanceof String s) {
        return s;
      }
      throw new TemplateException("wrong type for value; expected string; got " + GoFormat.typeName(o));
    }

    /** Go's $1 / ${1} / $name expansion to Java's $1 / ${name}; a literal $ is $$ in Go. */
    private static String goReplacement(String repl) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < repl.length(); i++) {
        char c = repl.charAt(i);
        if (c == '\\') {
          sb.append("\\\\");
        } else if (c == '$' && i + 1 < repl.length() && repl.charAt(i + 1) == '$') {
          sb.append("\\$");
          i++;
        } else if (c == '$' && i + 1 < repl.length() && repl.charAt(i + 1) == '{') {
          int end = repl.indexOf('}', i);
          String name = end > 0 ? repl.substring(i + 2, end) : "";
          sb.append(name.matches("\\d+") ? "$" + name : "${" + name + "}");
          i = end > 0 ? end : repl.length();
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }

    static double toFloat(Object o) throws TemplateException {
      if (o instanceof Double d) {
        return d;
      }
      if (o instanceof Long l) {
        return l;
      }
      if (o instanceof String s) {
        String t = s;
        switch (t.toLowerCase(Locale.ROOT)) {
          case "inf", "+inf", "infinity", "+infinity":
            return Double.POSITIVE_INFINITY;
          case "-inf", "-infinity":
            return Double.NEGATIVE_INFINITY;
          case "nan":
            return Double.NaN;
          default:
            break;
        }
        try {
          if (t.isEmpty() || t.endsWith("d") || t.endsWith("f") || t.endsWith("D") || t.endsWith("F")) {
            throw new NumberFormatException();
          }
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          throw new TemplateException("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
        }
      }
      throw new TemplateException("can't convert " + GoFormat.typeName(o) + " to float");
    }

    static String humanize(double v) {
      if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
        return GoFormat.formatFloat(v, 'g', 4);
      }
      String prefix = "";
      if (Math.abs(v) >= 1) {
        for (String p : new String[] {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
          if (Math.abs(v) < 1000) {
            break;
          }
          prefix = p;
          v /= 1000;
        }
        return GoFormat.formatFloat(v, 'g', 4) + prefix;
      }
      for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
        if (Math.abs(v) >= 1) {
          break;
        }
        prefix = p;
        v *= 1000;
      }
      return GoFormat.formatFloat(v, 'g', 4) + prefix;
    }

    static String humanize1024(double v) {
      if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
        return GoFormat.formatFloat(v, 'g', 4);
      }
      String prefix = "";
      for (String p : new String[] {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
        if (Math.abs(v) < 1024) {
          break;
        }
        prefix = p;
        v /= 1024;
      }
      return GoFormat.formatFloat(v, 'g', 4) + prefix;
    }

    static String humanizeDuration(double v) {
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return GoFormat.formatFloat(v, 'g', 4);
      }
      if (v == 0) {
        return GoFormat.formatFloat(v, 'g', 4) + "s";
      }
      if (Math.abs(v) >= 1) {
        String sign = "";
        if (v < 0) {
          sign = "-";
          v = -v;
        }
        long duration = (long) v;
        long seconds = duration % 60;
        long minutes = (duration / 60) % 60;
        long hours = (duration / 60 / 60) % 24;
        long days = duration / 60 / 60 / 24;
        if (days != 0) {
          return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
        }
        if (hours != 0) {
          return sign + hours + "h " + minutes + "m " + seconds + "s";
        }
        if (minutes != 0) {
          return sign + minutes + "m " + seconds + "s";
        }
        return sign + GoFormat.formatFloat(v, 'g', 4) + "s";
      }
      String prefix = "";
      for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
        if (Math.abs(v) >= 1) {
          break;
        }
        prefix = p;
        v *= 1000;
      }
      return GoFormat.formatFloat(v, 'g', 4) + prefix + "s";
    }

    /** Go's deprecated strings.Title: upper-cases the first letter of each word. */
    static String title(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      boolean prevSeparator = true;
      for (int i = 0; i < s.length(); ) {
        int cp = s.codePointAt(i);
        sb.appendCodePoint(prevSeparator ? Character.toTitleCase(cp) : cp);
        prevSeparator = isSeparator(cp);
        i += Character.charCount(cp);
      }
      return sb.toString();
    }

    private static boolean isSeparator(int r) {
      if (r <= 0x7F) {
        if (('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || r == '_') {
          return false;
        }
        return true;
      }
      if (Character.isLetterOrDigit(r)) {
        return false;
      }
      return Character.isWhitespace(r);
    }
  }
}
