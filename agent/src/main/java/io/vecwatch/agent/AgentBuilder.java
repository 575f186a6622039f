package io.vecwatch.agent;

import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.time.Clock;
import io.vecwatch.web.WebSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Options of an {@link Agent}; {@link #start()} builds and starts it.
 *
 * <pre>{@code
 * Agent agent = Agent.builder(config).configFile(Optional.of(file)).lifecycle(true).start();
 * }</pre>
 */
public final class AgentBuilder {

  final VecwatchConfig config;
  Clock clock = Clock.system();
  // Ground truth is computed while the agent already serves: one core is left to the event loop
  // and the probes, so a scrape during the build is answered at once.
  DatasetProvider datasets =
      c -> DatasetLoader.load(c, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
  Duration shutdownGrace = Duration.ofSeconds(2);
  Optional<Path> configFile = Optional.empty();
  WebSecurity security = WebSecurity.none();
  boolean lifecycle;
  Runnable onQuit = () -> {};
  UnaryOperator<VecwatchConfig> overrides = c -> c;
  EarlyStart earlyStart;

  AgentBuilder(VecwatchConfig config) {
    this.config = Objects.requireNonNull(config);
  }

  public AgentBuilder clock(Clock c) {
    this.clock = Objects.requireNonNull(c);
    return this;
  }

  public AgentBuilder datasets(DatasetProvider p) {
    this.datasets = Objects.requireNonNull(p);
    return this;
  }

  /**
   * The file the config was loaded from: {@code rule_files} resolve against its folder and {@code
   * /-/reload} re-reads it. Empty for a config that did not come from a file (the embedded demo).
   */
  public AgentBuilder configFile(Optional<Path> f) {
    this.configFile = Objects.requireNonNull(f);
    return this;
  }

  /** TLS, basic auth and headers of every endpoint (the web config file); none by default. */
  public AgentBuilder webSecurity(WebSecurity s) {
    this.security = Objects.requireNonNull(s);
    return this;
  }

  /**
   * Whether {@code POST /-/reload}, {@code /-/quit} and {@code /-/faults} are served ({@code
   * --web.enable-lifecycle}); without it they answer 403, as in Prometheus. SIGHUP reloads either
   * way.
   */
  public AgentBuilder lifecycle(boolean enabled) {
    this.lifecycle = enabled;
    return this;
  }

  /** What {@code POST /-/quit} does after answering (the CLI ends the process). */
  public AgentBuilder onQuit(Runnable r) {
    this.onQuit = Objects.requireNonNull(r);
    return this;
  }

  /**
   * What the command line changes in every config read from the file, at start and at each reload
   * (flags win over the file: {@code --web.listen-address}, {@code --web.external-url}).
   */
  public AgentBuilder overrides(UnaryOperator<VecwatchConfig> o) {
    this.overrides = Objects.requireNonNull(o);
    return this;
  }

  /**
   * The Vert.x instance and metrics registry created ahead while the config was read; the agent
   * takes them over. Without it the agent creates them itself.
   */
  public AgentBuilder earlyStart(EarlyStart e) {
    this.earlyStart = Objects.requireNonNull(e);
    return this;
  }

  /** How long {@link Agent#close()} waits for searches in flight. */
  public AgentBuilder shutdownGrace(Duration d) {
    this.shutdownGrace = Objects.requireNonNull(d);
    return this;
  }

  /**
   * Starts the HTTP server and, in the background, loads datasets and builds and probes targets.
   *
   * @throws AgentStartException when the listen address cannot be bound
   */
  public Agent start() throws AgentStartException {
    return Agent.start(this, datasets);
  }
}
