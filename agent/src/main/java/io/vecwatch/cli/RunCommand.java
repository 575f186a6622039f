package io.vecwatch.cli;

import io.vecwatch.BuildInfo;
import io.vecwatch.Bundled;
import io.vecwatch.agent.Agent;
import io.vecwatch.agent.AgentStartException;
import io.vecwatch.agent.EarlyStart;
import io.vecwatch.agent.Preflight;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.config.WebConfig;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import io.vecwatch.web.WebSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * {@code vecwatch run}: runs the agent until SIGTERM/SIGINT. Without {@code --config.file} it runs
 * the embedded demo ({@value #DEMO_RESOURCE}), validated like any config file.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Runs the agent: probes the configured targets and serves /metrics, /api/v1/targets, /-/ready.",
      "Without --config.file it runs the embedded demo: a generated 20k x 128 dataset served by an exact flat index",
      "and a Lucene HNSW index, each probed at 5 searches per second."
    })
final class RunCommand implements Callable<Integer> {
  static final String DEMO_RESOURCE = "/io/vecwatch/demo.yml";
  static final String DEMO_NAME = "demo.yml (embedded)";

  // Lucene warns through java.util.logging, on stderr, when --add-modules jdk.incubator.vector
  // (which vecwatch's own
  // exact k-NN uses) meets a Java older than Lucene's vector code wants. Held strongly: JUL keeps
  // loggers weakly.
  private static final Logger LUCENE_VECTORIZATION =
      Logger.getLogger("org.apache.lucene.internal.vectorization");

  @Mixin ServerFlags flags = new ServerFlags();

  private final EarlyStart early;

  RunCommand() {
    this(null);
  }

  RunCommand(EarlyStart early) {
    this.early = early;
  }

  @Override
  public Integer call() throws Exception {
    return run(flags, early);
  }

  /**
   * Runs the agent with {@code flags} until SIGTERM/SIGINT or {@code POST /-/quit}, taking over
   * what {@code early} created (null: begins one here).
   */
  static int run(ServerFlags flags, EarlyStart early) throws Exception {
    if (early != null) {
      return start(flags, early);
    }
    try (EarlyStart e = EarlyStart.begin()) {
      return start(flags, e);
    }
  }

  private static int start(ServerFlags flags, EarlyStart early) throws Exception {
    LUCENE_VECTORIZATION.setLevel(Level.SEVERE);
    LogSetup.apply(flags.logLevel, flags.logFormat);
    Optional<Path> webFile = Optional.ofNullable(flags.webConfigFile);
    // Everything is read and checked before any port is bound or any target started.
    Preflight.Loaded loaded =
        flags.configFile == null
            ? Preflight.check(demo(), DEMO_NAME, Path.of(".").toAbsolutePath(), webFile)
            : Preflight.load(flags.configFile, webFile);
    WebConfig w = null;
    if (flags.listenAddress != null) {
      w = WebConfig.parseAddress(flags.listenAddress);
      if (w == null) {
        throw new UserException(
            "--web.listen-address: must be HOST:PORT or :PORT with a port in 0-65535, got \""
                + flags.listenAddress
                + "\"");
      }
    }
    String u = null;
    if (flags.externalUrl != null) {
      u = flags.externalUrl.replaceAll("/+$", "");
      if (!u.matches("https?://[^\\s/]+(/\\S*)?")) {
        throw new UserException(
            "--web.external-url: must be an absolute http:// or https:// URL, got \""
                + flags.externalUrl
                + "\"");
      }
    }
    WebConfig listen = w;
    String external = u;
    // flags win over the file, now and at every reload
    UnaryOperator<VecwatchConfig> overrides =
        cfg -> {
          VecwatchConfig x = listen == null ? cfg : cfg.withWeb(listen);
          return external == null ? x : x.withExternalUrl(external);
        };
    VecwatchConfig c = overrides.apply(loaded.config());
    WebSecurity security;
    try {
      security = WebSecurity.of(webFile, loaded.web(), Clock.system());
    } catch (GeneralSecurityException e) {
      throw new UserException(
          webFile.map(Path::toString).orElse("web config")
              + ": tls_server_config: "
              + e.getMessage(),
          e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Agent agent;
    try {
      agent =
          Agent.builder(c)
              .configFile(Optional.ofNullable(flags.configFile))
              .webSecurity(security)
              .lifecycle(flags.enableLifecycle)
              .onQuit(stopped::countDown)
              .overrides(overrides)
              .earlyStart(early)
              .start();
    } catch (AgentStartException e) {
      throw new UserException(e.getMessage(), e);
    }
    if (ClassArchiveTraining.requested()) {
      ClassArchiveTraining.exercise(agent, Clock.system());
      agent.close();
      return 0;
    }
    agent.reloadOnSighup();
    // SIGTERM/SIGINT and POST /-/quit end the wait below, so the agent closes on this thread and
    // the process exits 0
    // after a clean shutdown (as Prometheus does), not 143; the hook still closes it on any other
    // way out.
    onStopSignals(stopped::countDown);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopped.countDown();
                  agent.close();
                },
                "vecwatch-shutdown"));
    printWhereToLook(System.out, flags, c, agent.httpPort(), security.scheme());
    stopped.await();
    // close here (idempotent: the hook may close again)
    agent.close();
    return 0;
  }

  /** Runs {@code stop} on SIGTERM and SIGINT; false where the JVM does not let us handle them. */
  @SuppressWarnings("restriction")
  private static boolean onStopSignals(Runnable stop) {
    try {
      for (String name : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(name), sig -> stop.run());
      }
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      return false;
    }
  }

  static VecwatchConfig demo() throws ConfigException, IOException {
    try (InputStream in = RunCommand.class.getResourceAsStream(DEMO_RESOURCE)) {
      if (in == null) {
        throw new IOException("embedded demo config " + DEMO_RESOURCE + " is missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // the default rule pack, bundled from rules/ by the build, so the demo shows alerting from
      // the first minute
      Optional<String> rules = Bundled.extractRules();
      if (rules.isPresent()) {
        text += "\nrule_files:\n  - '" + rules.get().replace("'", "''") + "'\n";
      }
      return ConfigLoader.withSystemEnv(TargetKinds.lookup()).parse(DEMO_NAME, text, Path.of("."));
    }
  }

  private static void printWhereToLook(
      PrintStream out, ServerFlags flags, VecwatchConfig c, int port, String scheme) {
    String host = c.web().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "localhost";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String base = scheme + "://" + host + ":" + port;
    out.println(
        "vecwatch "
            + BuildInfo.version()
            + " running "
            + (flags.configFile == null ? "the embedded demo" : flags.configFile)
            + " ("
            + c.targets().size()
            + " targets, "
            + c.probes().size()
            + " probes)");
    out.println("  metrics:  " + base + "/metrics");
    out.println("  targets:  " + base + "/api/v1/targets");
    out.println(
        "  status:   " + base + "/   (targets, alerts, rules, recent probes, probe on demand)");
    out.println(
        "  ready:    "
            + base
            + "/-/ready   (200 once every target was probed; indexes build first)");
    out.println("Stop with Ctrl-C.");
    out.flush();
  }
}
