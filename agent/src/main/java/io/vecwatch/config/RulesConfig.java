package io.vecwatch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rule evaluation, read from root keys of the agent config: {@code rule_files} (globs relative to
 * the config file's folder), {@code evaluation_interval}, {@code resend_delay}, {@code
 * external_labels}, {@code external_url}, {@code rule_state_file} (with {@code
 * rule_state_outage_tolerance}, {@code rule_state_for_grace_period}, {@code
 * rule_state_series_grace_period}), {@code rule_history_max_series}, {@code
 * capacity_requests_per_second}, {@code capacity_from_report}.
 *
 * @param ruleFiles glob patterns, as written; the rule engine resolves them against the config
 *     file's folder
 * @param evaluationInterval how often rules are evaluated and samples taken (groups may set a
 *     longer interval)
 * @param resendDelay how long a firing alert waits before it is sent again
 * @param externalUrl the agent's URL as users reach it; empty to derive one from the listen address
 * @param ruleStateFile where alert state is kept across restarts; empty for none
 * @param historyMaxSeries most series the rule history keeps; samples of further series are dropped
 *     and counted
 * @param capacity requests per second each target sustained in its last capacity benchmark (the
 *     input of the load scale-out rule, exported as {@code
 *     vecwatch_target_capacity_requests_per_second}): typed in {@code
 *     capacity_requests_per_second}, or read from a {@code vecwatch bench load} report named in
 *     {@code capacity_from_report} (read again on every reload)
 * @param restore how alert state read back from {@code ruleStateFile} at start is treated
 */
public record RulesConfig(
    List<String> ruleFiles,
    Duration evaluationInterval,
    Duration resendDelay,
    Map<String, String> externalLabels,
    String externalUrl,
    Optional<Path> ruleStateFile,
    int historyMaxSeries,
    Map<String, Double> capacity,
    Restore restore) {

  /** 5 s: failover (3 failed 5 s health checks) is then seen within one more check. */
  public static final Duration DEFAULT_EVALUATION_INTERVAL = Duration.ofSeconds(5);

  public static final Duration DEFAULT_RESEND_DELAY = Duration.ofMinutes(1);
  public static final int DEFAULT_HISTORY_MAX_SERIES = 10_000;

  /**
   * How restored alert state is treated at start (Prometheus' {@code
   * rules.alert.for-outage-tolerance} and {@code rules.alert.for-grace-period}, plus a wait for
   * series to come back).
   *
   * @param outageTolerance state saved longer ago than this is not restored
   * @param forGracePeriod a restored pending alert whose {@code for} is at least this long fires no
   *     sooner than this after the start; one with a shorter {@code for} starts its {@code for}
   *     afresh
   * @param seriesGracePeriod for this long after the start, a restored pending or firing alert
   *     whose series are not (yet) in its rule's result keeps its state instead of being dropped or
   *     resolved
   */
  public record Restore(
      Duration outageTolerance, Duration forGracePeriod, Duration seriesGracePeriod) {
    public static final Restore DEFAULTS =
        new Restore(Duration.ofHours(1), Duration.ZERO, Duration.ofMinutes(1));
  }

  public RulesConfig {
    ruleFiles = List.copyOf(ruleFiles);
    externalLabels = Map.copyOf(externalLabels);
    capacity = Map.copyOf(capacity);
  }

  /** The same with the default {@link Restore} settings. */
  public RulesConfig(
      List<String> ruleFiles,
      Duration evaluationInterval,
      Duration resendDelay,
      Map<String, String> externalLabels,
      String externalUrl,
      Optional<Path> ruleStateFile,
      int historyMaxSeries,
      Map<String, Double> capacity) {
    this(
        ruleFiles,
        evaluationInterval,
        resendDelay,
        externalLabels,
        externalUrl,
        ruleStateFile,
        historyMaxSeries,
        capacity,
        Restore.DEFAULTS);
  }

  /** The same without capacity figures (tests, tools). */
  public RulesConfig(
      List<String> ruleFiles,
      Duration evaluationInterval,
      Duration resendDelay,
      Map<String, String> externalLabels,
      String externalUrl,
      Optional<Path> ruleStateFile,
      int historyMaxSeries) {
    this(
        ruleFiles,
        evaluationInterval,
        resendDelay,
        externalLabels,
        externalUrl,
        ruleStateFile,
        historyMaxSeries,
        Map.of());
  }

  public static RulesConfig defaults() {
    return new RulesConfig(
        List.of(),
        DEFAULT_EVALUATION_INTERVAL,
        DEFAULT_RESEND_DELAY,
        Map.of(),
        "",
        Optional.empty(),
        DEFAULT_HISTORY_MAX_SERIES,
        Map.of(),
        Restore.DEFAULTS);
  }

  /** The same with other {@link Restore} settings. */
  public RulesConfig withRestore(Restore r) {
    return new RulesConfig(
        ruleFiles,
        evaluationInterval,
        resendDelay,
        externalLabels,
        externalUrl,
        ruleStateFile,
        historyMaxSeries,
        capacity,
        r);
  }

  /**
   * Reads the rule keys of the root mapping (the root's own {@code finish()} reports unknown keys).
   */
  static RulesConfig parse(ConfigNode root, List<TargetConfig> targets) {
    List<String> files = root.stringList("rule_files");
    Duration interval =
        root.duration("evaluation_interval", DEFAULT_EVALUATION_INTERVAL, Duration.ofMillis(100));
    Duration resend = root.duration("resend_delay", DEFAULT_RESEND_DELAY, Duration.ZERO);
    Map<String, String> external = root.stringMap("external_labels");
    for (String k : external.keySet()) {
      if (!k.matches("[a-zA-Z_][a-zA-Z0-9_]*") || k.startsWith("__")) {
        root.problem("external_labels." + k, "not a valid Prometheus label name");
      }
    }
    String url = root.string("external_url", "");
    if (!url.isEmpty() && !url.matches("https?://.+")) {
      root.problem(
          "external_url", "must start with http:// or https://, got " + ConfigNode.quote(url));
      url = "";
    }
    Optional<Path> state = root.file("rule_state_file");
    Restore restore =
        new Restore(
            root.duration(
                "rule_state_outage_tolerance", Restore.DEFAULTS.outageTolerance(), Duration.ZERO),
            root.duration(
                "rule_state_for_grace_period", Restore.DEFAULTS.forGracePeriod(), Duration.ZERO),
            root.duration(
                "rule_state_series_grace_period",
                Restore.DEFAULTS.seriesGracePeriod(),
                Duration.ZERO));
    int maxSeries =
        root.integer("rule_history_max_series", DEFAULT_HISTORY_MAX_SERIES, 1, 10_000_000);
    Map<String, Double> capacity = new LinkedHashMap<>();
    ConfigNode cap = root.child("capacity_requests_per_second");
    for (String target : root.stringMap("capacity_requests_per_second").keySet()) {
      if (targets.stream().noneMatch(t -> t.name().equals(target))) {
        cap.problem(target, "no target named " + ConfigNode.quote(target));
        continue;
      }
      capacity.put(target, cap.number(target, 0, 0.001, 1e12));
    }
    ConfigNode fromReport = root.child("capacity_from_report");
    for (String target : root.stringMap("capacity_from_report").keySet()) {
      if (targets.stream().noneMatch(t -> t.name().equals(target))) {
        fromReport.problem(target, "no target named " + ConfigNode.quote(target));
        continue;
      }
      if (capacity.containsKey(target)) {
        fromReport.problem(
            target, "capacity_requests_per_second." + target + " is set too; keep one of them");
        continue;
      }
      Optional<Path> file = fromReport.file(target);
      Optional<String> unreadable = file.flatMap(ConfigNode::fileProblem);
      if (unreadable.isPresent()) {
        fromReport.problem(target, unreadable.get());
        continue;
      }
      file.ifPresent(
          f -> {
            try {
              capacity.put(target, CapacityReport.capacity(f));
            } catch (IllegalArgumentException e) {
              fromReport.problem(target, e.getMessage());
            }
          });
    }
    return new RulesConfig(
        files,
        interval,
        resend,
        external,
        url.replaceAll("/+$", ""),
        state,
        maxSeries,
        capacity,
        restore);
  }
}
