package io.vecwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a Jackson tree for {@link ConfigNode}, built from the parser's token stream
 * rather than with {@code ObjectMapper.readTree} because a config needs what the default tree
 * loses:
 *
 * <ul>
 *   <li>every scalar as the exact text written ({@code seed: 0012}, {@code version: 1.10}, {@code
 *       token: 1e5} and {@code flag: yes} stay as written; the typed readers decide what is valid),
 *       nulls as null;
 *   <li>the line and column of every key and list item, so problems are reported in document order;
 *   <li>duplicate keys reported with both lines instead of the last one silently winning;
 *   <li>anchors on mappings and lists, aliases ({@code *name}) and merge keys ({@code <<: *name})
 *       resolved (Jackson would turn an alias into the anchor's name as a string);
 *   <li>a second YAML document rejected instead of ignored.
 * </ul>
 */
final class YamlTree {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String MERGE_KEY = "<<";

  /** A position in the text, 1-based. */
  record Position(int line, int column) implements Comparable<Position> {
    static final Position START = new Position(0, 0);

    @Override
    public int compareTo(Position o) {
      return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    String describe() {
      return "line " + line + ", column " + column;
    }
  }

  /** The text is not YAML; {@code position} may be null when the parser could not tell. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Position position;

    SyntaxError(Position position, String message) {
      super(message);
      this.position = position;
    }

    /**
     * One line: {@code line 3, column 5: not valid YAML: ...}. Never quotes the text around the
     * error.
     */
    String describe() {
      return (position == null ? "" : position.describe() + ": ")
          + "not valid YAML: "
          + getMessage();
    }
  }

  /**
   * The parsed document: its root (null for an empty document), where each path starts, and tree
   * problems.
   */
  record Result(JsonNode root, Map<String, Position> positions, List<Problem> problems) {}

  /**
   * A problem found while reading the tree (duplicate key, unknown alias, ...); {@code position}
   * null means "where {@code path} is".
   */
  record Problem(String path, Position position, String message) {}

  /**
   * Nodes aliases may copy in all: bounds "billion laughs" documents (SnakeYAML's own guard is not
   * used here).
   */
  private static final int MAX_ALIASED_NODES = 100_000;

  /**
   * Deepest nesting accepted: a vecwatch config is a few levels deep; thousands would overflow the
   * stack of this recursive reader.
   */
  static final int MAX_DEPTH = 100;

  private final YAMLParser parser;
  private final Map<String, Position> positions = new HashMap<>();
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private int depth;
  private final List<Problem> problems = new ArrayList<>();
  private int aliasedNodes;

  private YamlTree(YAMLParser parser) {
    this.parser = parser;
  }

  static Result parse(String text) throws SyntaxError {
    try (YAMLParser p = FACTORY.createParser(text)) {
      YamlTree tree = new YamlTree(p);
      JsonToken first = p.nextToken();
      JsonNode root = null;
      if (first != null) {
        tree.positions.put("", tree.position());
        root = tree.value("");
        if (p.nextToken() != null) {
          Position at = tree.position();
          tree.problems.add(
              new Problem(
                  "",
                  at,
                  at.describe()
                      + ": a second YAML document starts here (after ---); put everything in one document"));
        }
      }
      return new Result(root, Map.copyOf(tree.positions), List.copyOf(tree.problems));
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      // reading a String cannot fail for I/O reasons
      throw new SyntaxError(null, e.getMessage());
    }
  }

  /** Builds the value the parser is on, registering positions under {@code path}. */
  private JsonNode value(String path) throws IOException, SyntaxError {
    JsonToken t = parser.currentToken();
    String anchor = t == JsonToken.FIELD_NAME ? null : parser.getObjectId();
    JsonNode node;
    switch (t) {
      case START_OBJECT, START_ARRAY -> {
        if (++depth > MAX_DEPTH) {
          throw new SyntaxError(
              position(), "mappings and lists nested more than " + MAX_DEPTH + " levels deep");
        }
        node = t == JsonToken.START_OBJECT ? mapping(path) : sequence(path);
        depth--;
      }
      case VALUE_NULL -> node = NODES.nullNode();
      case VALUE_STRING -> {
        if (parser.isCurrentAlias()) {
          JsonNode target = anchors.get(parser.getText());
          if (target == null) {
            // Jackson's parser does not expose anchors on single values, so only mappings and lists
            // can be reused.
            problems.add(
                new Problem(
                    path,
                    null,
                    "unknown alias *"
                        + parser.getText()
                        + ": no mapping or list is anchored &"
                        + parser.getText()
                        + " before it"));
            return NODES.nullNode();
          }
          aliasedNodes += size(target);
          if (aliasedNodes > MAX_ALIASED_NODES) {
            throw new SyntaxError(
                position(), "aliases expand to more than " + MAX_ALIASED_NODES + " nodes");
          }
          return target.deepCopy();
        }
        node = NODES.textNode(parser.getText());
      }
      // Keep what was written: the typed readers parse numbers and booleans themselves.
      default -> node = NODES.textNode(parser.getText());
    }
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return node;
  }

  private ObjectNode mapping(String path) throws IOException, SyntaxError {
    ObjectNode obj = NODES.objectNode();
    Map<String, Position> firstSeen = new HashMap<>();
    Position mergeAt = null;
    List<ObjectNode> mergeSources = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      Position at = position();
      String childPath = ConfigNode.join(path, key);
      parser.nextToken();
      JsonNode v = value(childPath);
      if (key.equals(MERGE_KEY)) {
        collectMergeSources(childPath, at, v, mergeSources);
        mergeAt = mergeAt == null ? at : mergeAt;
        continue;
      }
      Position earlier = firstSeen.putIfAbsent(key, at);
      if (earlier != null) {
        // The first value stays; the config is rejected anyway, but the rest is still checked.
        problems.add(
            new Problem(
                childPath,
                at,
                "duplicate key on line "
                    + at.line()
                    + " (first set on line "
                    + earlier.line()
                    + ")"));
        continue;
      }
      positions.putIfAbsent(childPath, at);
      obj.set(key, v);
    }
    // Merge keys fill in only what the mapping does not set itself; earlier sources win over later
    // ones.
    for (ObjectNode src : mergeSources) {
      for (Map.Entry<String, JsonNode> e : src.properties()) {
        if (!obj.has(e.getKey())) {
          obj.set(e.getKey(), e.getValue().deepCopy());
          positions.putIfAbsent(ConfigNode.join(path, e.getKey()), mergeAt);
        }
      }
    }
    return obj;
  }

  private void collectMergeSources(String path, Position at, JsonNode v, List<ObjectNode> out) {
    if (v instanceof ObjectNode o) {
      out.add(o);
    } else if (v.isArray() && allObjects(v)) {
      v.forEach(e -> out.add((ObjectNode) e));
    } else if (!v.isNull()) {
      problems.add(new Problem(path, at, "a merge key (<<) takes a mapping or a list of mappings"));
    }
  }

  private static int size(JsonNode n) {
    int s = 1;
    for (JsonNode c : n) {
      s += size(c);
    }
    return s;
  }

  private static boolean allObjects(JsonNode array) {
    for (JsonNode e : array) {
      if (!e.isObject()) {
        return false;
      }
    }
    return true;
  }

  private ArrayNode sequence(String path) throws IOException, SyntaxError {
    ArrayNode arr = NODES.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      String itemPath = ConfigNode.index(path, arr.size());
      positions.putIfAbsent(itemPath, position());
      arr.add(value(itemPath));
    }
    return arr;
  }

  private Position position() {
    JsonLocation l = parser.currentTokenLocation();
    return new Position(l.getLineNr(), l.getColumnNr());
  }

  static SyntaxError syntaxError(JsonProcessingException e) {
    // SnakeYAML's own message quotes the offending line, which may hold a secret: use only its
    // parts.
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYAMLException m && m.getProblem() != null) {
        Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
        Position at = mark == null ? null : new Position(mark.getLine() + 1, mark.getColumn() + 1);
        String problem = m.getProblem();
        Mark ctx = m.getContextMark();
        String started =
            ctx == null
                ? ""
                : " started at line " + (ctx.getLine() + 1) + ", column " + (ctx.getColumn() + 1);
        if (problem.startsWith("expected <block end>") && ctx != null) {
          // SnakeYAML's wording ("but found '?'") hides the usual cause: a line indented off its
          // block.
          problem = "this line is not indented like the block" + started + " (" + problem + ")";
        } else if (m.getContext() != null && ctx != null) {
          problem += " (" + m.getContext() + started + ")";
        }
        return new SyntaxError(at, problem);
      }
    }
    JsonLocation l = e.getLocation();
    Position at =
        l == null || l.getLineNr() < 1 ? null : new Position(l.getLineNr(), l.getColumnNr());
    return new SyntaxError(at, firstLine(e.getOriginalMessage()));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable input";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
