package io.vecwatch.rules;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecwatch.config.RulesConfig;
import io.vecwatch.notify.AlertSender;
import io.vecwatch.promtext.PromTextException;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.history.SampleSource;
import io.vecwatch.rules.history.SeriesStore;
import io.vecwatch.rules.promql.Evaluator;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's rule engine: at each {@link #eval(Instant)} it takes the agent's own samples into its
 * history, evaluates the groups that are due, hands alerts to the sender and saves alert state.
 * {@link #reload} swaps the rule set atomically, keeping the last good set when the new files are
 * bad and carrying alert state over by rule identity. Thread-safe: evaluation and reload are
 * serialised; readers see immutable snapshots.
 *
 * <pre>{@code
 * RuleEngine engine = RuleEngine.builder().config(cfg.rules()).baseDir(configDir)
 *     .source(ScrapeSampleSource.of(registry::scrape)).sender(notifier).clock(clock).build();
 * long next = engine.tick(clock.wallMillis());   // then again at `next` ({@link RuleScheduler} does this)
 * }</pre>
 */
public final class RuleEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
  private final Object lock = new Object();
  private final SampleSource source;
  private final AlertSender sender;
  private final AlertTransitions.Tracker transitionTracker = new AlertTransitions.Tracker();
  private AlertTransitions transitions = AlertTransitions.NONE; // guarded by lock
  private final Clock clock;
  private final SeriesStore store;
  private final SeriesStore.Writer scrapeWriter;
  private final Evaluator evaluator;
  private final String defaultExternalUrl;
  private volatile RulesConfig config;
  private volatile Path baseDir;
  private volatile List<RuleGroup> groups = List.of();
  private volatile boolean lastReloadOk;
  private volatile long lastReloadSuccessMillis;
  private volatile List<String> lastReloadProblems = List.of();
  private volatile long collectFailures;
  private volatile long stateWriteFailures;
  private byte[] lastSavedState;

  /**
   * Time of the last sample of the agent's own metrics written to the history (guarded by lock).
   */
  private long lastSampleAt = Long.MIN_VALUE;

  private RuleEngine(Builder b) {
    this.source = b.source;
    this.sender = b.sender;
    this.clock = b.clock;
    this.config = b.config;
    this.baseDir = b.baseDir;
    this.defaultExternalUrl = b.externalUrl;
    this.store = SeriesStore.create(b.config.historyMaxSeries(), 1_000_000);
    this.scrapeWriter = store.writer();
    this.evaluator = new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link RuleEngine}. */
  public static final class Builder {
    private RulesConfig config = RulesConfig.defaults();
    private Path baseDir = Path.of(".");
    private SampleSource source = List::of;
    private AlertSender sender = AlertSender.NONE;
    private Clock clock = Clock.system();
    private MeterRegistry registry = new SimpleMeterRegistry();
    private String externalUrl = "http://localhost:9477";

    private Builder() {}

    public Builder config(RulesConfig c) {
      this.config = c;
      return this;
    }

    /** The folder {@code rule_files} patterns are relative to (the config file's folder). */
    public Builder baseDir(Path dir) {
      this.baseDir = dir;
      return this;
    }

    public Builder source(SampleSource s) {
      this.source = s;
      return this;
    }

    public Builder sender(AlertSender s) {
      this.sender = s;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    public Builder registry(MeterRegistry r) {
      this.registry = r;
      return this;
    }

    /** The URL alerts link back to when the config sets no {@code external_url}. */
    public Builder externalUrl(String url) {
      this.externalUrl = url.replaceAll("/+$", "");
      return this;
    }

    /** Loads the rule files and restores saved alert state; throws when the files have problems. */
    public RuleEngine build() throws RuleLoadException {
      RuleEngine e = new RuleEngine(this);
      RuleFileParser.Result r = RuleFiles.load(baseDir, config.ruleFiles());
      if (!r.ok()) {
        throw new RuleLoadException(r.problems());
      }
      e.install(r.groups(), clock.wallMillis());
      e.lastReloadOk = true;
      e.lastReloadSuccessMillis = clock.wallMillis();
      e.restoreState(clock.wallMillis());
      e.registerMeters(registry);
      return e;
    }
  }

  private void registerMeters(MeterRegistry registry) {
    Gauge.builder("vecwatch.rules.last.reload.successful", this, e -> e.lastReloadOk ? 1 : 0)
        .description("Whether the last rule reload succeeded")
        .register(registry);
    Gauge.builder(
            "vecwatch.rules.last.reload.success.timestamp.seconds",
            this,
            e -> e.lastReloadSuccessMillis / 1e3)
        .description("When rules were last loaded successfully")
        .register(registry);
    Gauge.builder(
            "vecwatch.rules.loaded",
            this,
            e -> e.groups.stream().mapToInt(g -> g.rules().size()).sum())
        .description("Rules loaded")
        .register(registry);
    Gauge.builder("vecwatch.rule.history.series", store, SeriesStore::seriesCount)
        .description("Series in the rule engine's history")
        .register(registry);
    FunctionCounter.builder(
            "vecwatch.rule.history.dropped.samples", store, SeriesStore::droppedSamples)
        .description("Samples not kept because the history's series cap was reached")
        .register(registry);
    FunctionCounter.builder("vecwatch.rule.collect.failures", this, e -> e.collectFailures)
        .description("Evaluation ticks whose own-metrics scrape could not be parsed")
        .register(registry);
    FunctionCounter.builder("vecwatch.rule.state.write.failures", this, e -> e.stateWriteFailures)
        .description("Failed writes of the alert state file")
        .register(registry);
  }

  /** The interval {@link #eval} should be called at: the configured evaluation interval. */
  public Duration evaluationInterval() {
    return config.evaluationInterval();
  }

  public List<RuleGroup> groups() {
    return groups;
  }

  public RulesConfig config() {
    return config;
  }

  public boolean lastReloadSuccessful() {
    return lastReloadOk;
  }

  /** When rules were last loaded successfully (at start or by a reload), epoch millis. */
  public long lastReloadSuccessMillis() {
    return lastReloadSuccessMillis;
  }

  public List<String> lastReloadProblems() {
    return lastReloadProblems;
  }

  public String externalUrl() {
    return config.externalUrl().isEmpty() ? defaultExternalUrl : config.externalUrl();
  }

  /** Series currently held by the history (for tests and diagnostics). */
  public int historySeries() {
    return store.seriesCount();
  }

  /**
   * The scheduled tick, called at (or a little after) the time {@link #nextTick} returned:
   * evaluates every group whose evaluation slot ({@link RuleGroup#evalTimestamp}) has come, <em>at
   * that slot</em> rather than at {@code now}, after sampling the agent's metrics (stamped with the
   * earliest slot due, so every group sees the sample); then saves the state file. A group's first
   * slot is the first one after it was loaded. Returns when to tick next.
   */
  public long tick(long now) {
    synchronized (lock) {
      List<RuleGroup> gs = groups;
      long base = config.evaluationInterval().toMillis();
      long baseSlot = now - Math.floorMod(now, base);
      long stamp = baseSlot;
      long[] due = new long[gs.size()];
      for (int i = 0; i < due.length; i++) {
        due[i] = gs.get(i).dueSlot(now);
        if (due[i] != AlertSnapshot.NONE) {
          stamp = Math.min(stamp, due[i]);
        }
      }
      if (stamp > lastSampleAt) {
        sample(stamp);
      }
      EvalContext ctx = context();
      for (int i = 0; i < due.length; i++) {
        if (due[i] != AlertSnapshot.NONE) {
          gs.get(i).eval(due[i], ctx, clock);
        }
      }
      afterEvaluation(now);
      return nextTick(now);
    }
  }

  /**
   * When {@link #tick} should run next after {@code now}: the next evaluation slot of any group, or
   * sampling.
   */
  public long nextTick(long now) {
    long base = config.evaluationInterval().toMillis();
    long next = now - Math.floorMod(now, base) + base;
    for (RuleGroup g : groups) {
      next = Math.min(next, g.nextSlot(now));
    }
    return next;
  }

  /**
   * One evaluation at exactly {@code now} (tools and tests that step time themselves): samples from
   * the source (series gone since the last tick get a staleness marker), then every group due by
   * then, then the state file. The agent's own schedule uses {@link #tick}.
   */
  public void eval(Instant now) {
    long t = now.toEpochMilli();
    synchronized (lock) {
      if (t > lastSampleAt) {
        sample(t);
      }
      EvalContext ctx = context();
      long tick = config.evaluationInterval().toMillis();
      for (RuleGroup g : groups) {
        long last = g.lastEvaluation();
        if (last == AlertSnapshot.NONE || t - last >= g.interval().toMillis() - tick / 2) {
          g.eval(t, ctx, clock);
        }
      }
      afterEvaluation(t);
    }
  }

  private void sample(long t) {
    lastSampleAt = t;
    List<Sample> samples;
    try {
      samples = source.collect();
    } catch (PromTextException | IllegalStateException e) {
      collectFailures++;
      LOG.warn("cannot read the agent's own metrics for rule evaluation: {}", e.getMessage());
      return;
    }
    scrapeWriter.write(t, samples);
  }

  private EvalContext context() {
    RulesConfig cfg = config;
    return new EvalContext(
        evaluator, cfg.externalLabels(), externalUrl(), cfg.resendDelay(), sender);
  }

  private void afterEvaluation(long t) {
    store.trim(t);
    saveState(t);
    try {
      transitionTracker.observe(groups, transitions);
    } catch (RuntimeException e) {
      LOG.warn("reporting alert state changes failed", e); // never stops evaluation
    }
  }

  /** Who hears about alert state changes (the event log); see {@link AlertTransitions}. */
  public void onAlertTransitions(AlertTransitions t) {
    synchronized (lock) {
      transitions = Objects.requireNonNull(t);
    }
  }

  /** Re-reads the configured rule files. */
  public ReloadResult reload() {
    return reload(config, baseDir);
  }

  /**
   * Loads rules from {@code newConfig}'s files; on success swaps them in atomically with alert
   * state carried over by rule identity, otherwise keeps the current rules. Exports the outcome as
   * {@code vecwatch_rules_last_reload_successful}.
   */
  public ReloadResult reload(RulesConfig newConfig, Path newBaseDir) {
    RuleFileParser.Result r = RuleFiles.load(newBaseDir, newConfig.ruleFiles());
    synchronized (lock) {
      if (!r.ok()) {
        lastReloadOk = false;
        lastReloadProblems = r.problems();
        LOG.warn(
            "rule reload failed, keeping the {} loaded groups: {}", groups.size(), r.problems());
        return new ReloadResult(false, r.problems());
      }
      this.config = newConfig;
      this.baseDir = newBaseDir;
      install(r.groups(), clock.wallMillis());
      lastReloadOk = true;
      lastReloadProblems = List.of();
      lastReloadSuccessMillis = clock.wallMillis();
      LOG.info("rules reloaded: {} groups, {} rules", groups.size(), r.ruleCount());
      return new ReloadResult(true, List.of());
    }
  }

  /** The outcome of a reload. */
  public record ReloadResult(boolean ok, List<String> problems) {
    public ReloadResult {
      problems = List.copyOf(problems);
    }
  }

  private void install(List<RuleGroupSpec> specs, long t) {
    Duration interval = config.evaluationInterval();
    Map<String, RuleGroup> old = new HashMap<>();
    for (RuleGroup g : groups) {
      old.put(g.spec().file() + ";" + g.name(), g);
    }
    List<RuleGroup> fresh = new ArrayList<>();
    for (RuleGroupSpec s : specs) {
      RuleGroup g = RuleGroup.create(s, interval, store);
      g.startAfter(t);
      RuleGroup prev = old.remove(s.file() + ";" + s.name());
      if (prev != null) {
        g.copyState(prev, t);
      }
      fresh.add(g);
    }
    for (RuleGroup gone : old.values()) {
      gone.markAllStale(t);
    }
    long lookback = Evaluator.DEFAULT_LOOKBACK_MS;
    store.setRetention(Retentions.of(specs, lookback, 2 * interval.toMillis()));
    groups = List.copyOf(fresh);
  }

  // ---- state file ----

  private List<AlertStateFile.RuleState> stateOf() {
    List<AlertStateFile.RuleState> out = new ArrayList<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule ar) {
          List<AlertSnapshot> alerts = ar.alerts();
          if (!alerts.isEmpty()) {
            out.add(new AlertStateFile.RuleState(identity(g, r), g.name(), r.name(), alerts));
          }
        }
      }
    }
    return out;
  }

  private static String identity(RuleGroup g, Rule r) {
    return g.name() + "\u0000" + r.spec().identity();
  }

  private void saveState(long t) {
    Optional<Path> file = config.ruleStateFile();
    if (file.isEmpty()) {
      return;
    }
    List<AlertStateFile.RuleState> state = stateOf();
    byte[] content = AlertStateFile.encode(state, 0);
    boolean anyActive =
        state.stream().anyMatch(r -> r.alerts().stream().anyMatch(AlertSnapshot::isActive));
    if (lastSavedState != null && Arrays.equals(content, lastSavedState) && !anyActive) {
      return; // nothing to record; with active alerts savedAt itself matters (pending progress on
      // restore)
    }
    try {
      AlertStateFile.write(file.get(), AlertStateFile.encode(state, t));
      lastSavedState = content;
    } catch (IOException e) {
      stateWriteFailures++;
      LOG.warn("cannot write alert state file {}: {}", file.get(), e.toString());
    }
  }

  /**
   * Restores alerts saved by a previous run (see docs/rules.md, "State"): nothing when the state is
   * older than the outage tolerance; firing and resolved alerts as they were (a firing alert keeps
   * its FiredAt, hence its {@code startsAt}, so it is not announced again); pending alerts as
   * Prometheus' {@code RestoreForState} does with its for-grace-period. Restored pending and firing
   * alerts then keep their state while their series are missing from the rule's result, for the
   * series grace period, so a restart does not resolve them at the first evaluations before the
   * targets' series are back.
   */
  private void restoreState(long now) {
    Optional<Path> file = config.ruleStateFile();
    if (file.isEmpty() || !Files.exists(file.get())) {
      return;
    }
    AlertStateFile.Saved saved;
    try {
      saved = AlertStateFile.read(file.get());
    } catch (IOException e) {
      LOG.warn("ignoring alert state file: {}", e.getMessage());
      return;
    }
    RulesConfig.Restore opts = config.restore();
    long downtime = Math.max(0, now - saved.savedAt());
    if (downtime > opts.outageTolerance().toMillis()) {
      LOG.info(
          "alert state in {} is {} s old (more than the {} s outage tolerance); not restored",
          file.get(),
          downtime / 1000,
          opts.outageTolerance().toSeconds());
      return;
    }
    Map<String, AlertStateFile.RuleState> byId = new HashMap<>();
    for (AlertStateFile.RuleState r : saved.rules()) {
      byId.put(r.identity(), r);
    }
    long holdUntil = now + opts.seriesGracePeriod().toMillis();
    int restored = 0;
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        AlertStateFile.RuleState s = byId.get(identity(g, r));
        if (s == null || !(r instanceof AlertingRule ar)) {
          continue;
        }
        List<AlertSnapshot> alerts = new ArrayList<>();
        for (AlertSnapshot a : s.alerts()) {
          if (a.state() == AlertState.PENDING) {
            a =
                restorePending(
                    a, ar.holdMillis(), saved.savedAt(), now, opts.forGracePeriod().toMillis());
            if (a == null) {
              continue;
            }
          }
          alerts.add(a);
        }
        ar.restore(alerts, holdUntil);
        restored += alerts.size();
      }
    }
    lastSavedState = AlertStateFile.encode(stateOf(), 0);
    LOG.info(
        "restored {} alerts from {}; restored alerts whose series are missing keep their state until {}",
        restored,
        file.get(),
        Instant.ofEpochMilli(holdUntil));
  }

  /**
   * Prometheus' for-grace-period rule for a pending alert saved at {@code savedAt}, restored at
   * {@code now}: {@code null} (start afresh) when {@code for} is shorter than the grace period;
   * otherwise ActiveAt moved so that it fires no sooner than the grace period after the restart and
   * the downtime does not count.
   */
  static AlertSnapshot restorePending(
      AlertSnapshot a, long holdMillis, long savedAt, long now, long graceMillis) {
    if (holdMillis < graceMillis) {
      return null;
    }
    long remaining = holdMillis - (savedAt - a.activeAt());
    long activeAt;
    if (remaining <= 0) {
      activeAt = a.activeAt(); // was due to fire: fires at the first evaluation that still sees it
    } else if (remaining < graceMillis) {
      activeAt = now + graceMillis - holdMillis;
    } else {
      activeAt = a.activeAt() + Math.max(0, now - savedAt);
    }
    return new AlertSnapshot(
        a.labels(),
        a.annotations(),
        a.state(),
        a.value(),
        activeAt,
        a.firedAt(),
        a.resolvedAt(),
        a.lastSentAt(),
        a.validUntil(),
        a.keepFiringSince());
  }
}
