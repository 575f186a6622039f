package io.vecwatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads and validates a YAML config. Every problem is collected and reported together in one
 * {@link ConfigException}; nothing is half-loaded.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static ConfigLoader withSystemEnv() {
    return new ConfigLoader(System.getenv());
  }

  public VecwatchConfig load(Path file) throws ConfigException {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, List.of("file does not exist"));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot read: " + e.getMessage()));
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(source, text, dir == null ? Path.of(".") : dir);
  }

  /** Parses config text; relative file paths resolve against {@code baseDir}. */
  public VecwatchConfig parse(String source, String text, Path baseDir) throws ConfigException {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
      throw new ConfigException(source, List.of(where + "not valid YAML: " + e.getOriginalMessage()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = YAML.createObjectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException(source, List.of("top level must be a mapping"));
    }
    Problems problems = new Problems();
    VecwatchConfig config = VecwatchConfig.parse(ConfigNode.detached(tree, problems, env, baseDir));
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems.list());
    }
    return config;
  }
}
