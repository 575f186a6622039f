package io.vecwatch.agent;

import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.config.WebConfigFile;
import io.vecwatch.notify.AlertmanagerNotifier;
import io.vecwatch.rules.RuleFileParser;
import io.vecwatch.rules.RuleFiles;
import io.vecwatch.target.registry.TargetKinds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code run} reads before it starts, read and checked in one place, so {@code
 * check-config} and {@code run} agree: the config file, every rule file its {@code rule_files}
 * match (parsed, expressions and templates checked; a pattern matching nothing is a problem), the
 * Alertmanager TLS material, the dataset files it names, and the web config file. Every problem is
 * one line naming its file; nothing is started.
 *
 * <pre>{@code
 * Preflight.Loaded l = Preflight.load(Path.of("vecwatch.yml"), Optional.of(Path.of("web.yml")));
 * }</pre>
 */
public final class Preflight {
  /**
   * What was loaded: the config, the web config file (none when not given) and the rule files'
   * size.
   */
  public record Loaded(
      VecwatchConfig config,
      Optional<Path> configFile,
      WebConfigFile web,
      Optional<Path> webFile,
      int ruleGroups,
      int rules) {}

  private Preflight() {}

  /** Loads {@code configFile} and checks what it names. */
  public static Loaded load(Path configFile, Optional<Path> webFile) throws ConfigException {
    List<String> problems = new ArrayList<>();
    VecwatchConfig c = null;
    try {
      c = ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(configFile);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    Path dir = configFile.toAbsolutePath().getParent();
    return finish(c, configFile.toString(), Optional.of(configFile), dir, webFile, problems);
  }

  /**
   * Checks an already parsed config (the embedded demo) named {@code source}, relative paths from
   * {@code dir}.
   */
  public static Loaded check(VecwatchConfig c, String source, Path dir, Optional<Path> webFile)
      throws ConfigException {
    return finish(c, source, Optional.empty(), dir, webFile, new ArrayList<>());
  }

  private static Loaded finish(
      VecwatchConfig c,
      String source,
      Optional<Path> configFile,
      Path dir,
      Optional<Path> webFile,
      List<String> problems)
      throws ConfigException {
    int groups = 0;
    int rules = 0;
    if (c != null) {
      RuleFileParser.Result r = RuleFiles.load(dir, c.rules().ruleFiles());
      for (String p : r.problems()) {
        problems.add(p.startsWith("rule_files[") ? source + ": " + p : p);
      }
      groups = r.groups().size();
      rules = r.ruleCount();
      AlertmanagerNotifier.check(c.alerting()).forEach(p -> problems.add(source + ": " + p));
    }
    WebConfigFile web = WebConfigFile.none();
    if (webFile.isPresent()) {
      try {
        web = WebConfigFile.load(webFile.get());
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw ConfigException.ofLines(problems);
    }
    return new Loaded(c, configFile, web, webFile, groups, rules);
  }
}
