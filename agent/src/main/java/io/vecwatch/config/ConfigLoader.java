package io.vecwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads and validates a YAML config. Every problem is collected and reported together in one {@link
 * ConfigException}, in document order; nothing is half-loaded.
 *
 * <pre>{@code
 * VecwatchConfig config = ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(Path.of("vecwatch.yml"));
 * }</pre>
 *
 * <p>An empty file (or one with only comments) is a valid config: defaults everywhere and no
 * targets.
 */
public final class ConfigLoader {
  private final Map<String, String> env;
  private final TargetKindLookup kinds;

  /**
   * A loader that expands {@code ${NAME}} from {@code env} (tests pass a fixed map) and reads each
   * target's kind-specific keys with the reader {@code kinds} finds for its {@code kind:}.
   */
  public ConfigLoader(Map<String, String> env, TargetKindLookup kinds) {
    this.env = Map.copyOf(env);
    this.kinds = Objects.requireNonNull(kinds, "kinds");
  }

  public static ConfigLoader withSystemEnv(TargetKindLookup kinds) {
    return new ConfigLoader(System.getenv(), kinds);
  }

  /**
   * Reads and validates {@code file}; relative paths inside it resolve against its folder. Problems
   * are reported with {@code file} exactly as given, e.g. {@code conf/vecwatch.yml: targets[1].uri:
   * must be set}.
   */
  public VecwatchConfig load(Path file) throws ConfigException {
    String source = file.toString();
    if (source.isEmpty()) {
      throw new ConfigException("\"\"", List.of("empty file name"));
    }
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(source, List.of("is a directory, not a file"));
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, List.of("file does not exist"));
    } catch (AccessDeniedException e) {
      throw new ConfigException(source, List.of("file is not readable (permission denied)"));
    } catch (CharacterCodingException e) {
      throw new ConfigException(source, List.of("not valid UTF-8 text"));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot read: " + e.getClass().getSimpleName()));
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(source, text, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  /**
   * Parses config text named {@code source} in messages; relative file paths resolve against {@code
   * baseDir}.
   */
  public VecwatchConfig parse(String source, String text, Path baseDir) throws ConfigException {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a byte-order mark some editors write
    }
    YamlTree.Result tree;
    try {
      tree = YamlTree.parse(text);
    } catch (YamlTree.SyntaxError e) {
      throw new ConfigException(source, List.of(e.describe()));
    }
    JsonNode root =
        tree.root() == null || tree.root().isNull()
            ? JsonNodeFactory.instance.objectNode()
            : tree.root();
    if (!root.isObject()) {
      throw new ConfigException(
          source,
          List.of(
              "the top level must be a mapping (key: value lines), not "
                  + (root.isArray() ? "a list" : "a single value")));
    }
    Problems problems = new Problems(tree.positions());
    for (YamlTree.Problem p : tree.problems()) {
      if (p.position() == null) {
        problems.add(p.path(), p.message());
      } else {
        problems.add(p.path(), p.position(), p.message());
      }
    }
    ConfigNode.Context ctx =
        new ConfigNode.Context(problems, EnvSubstitution.of(env), baseDir, kinds);
    VecwatchConfig config = VecwatchConfig.parse(new ConfigNode(root, "", ctx));
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems.list());
    }
    return config;
  }
}
