package io.vecwatch.cli;

import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.BuildInfo;
import io.vecwatch.Bundled;
import io.vecwatch.agent.Agent;
import io.vecwatch.agent.AgentStartException;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.config.WebConfig;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import sun.misc.Signal;
import picocli.CommandLine.Option;

/**
 * {@code vecwatch run}: runs the agent until SIGTERM/SIGINT. Without {@code --config} it runs the embedded demo
 * ({@value #DEMO_RESOURCE}), validated like any config file.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs the agent: probes the configured targets and serves /metrics, /api/v1/targets, /-/ready.",
      "Without --config it runs the embedded demo: a generated 20k x 128 dataset served by an exact flat index",
      "and a Lucene HNSW index, each probed at 5 searches per second."
    })
final class RunCommand implements Callable<Integer> {
  static final String DEMO_RESOURCE = "/io/vecwatch/demo.yml";
  static final String DEMO_NAME = "demo.yml (embedded)";

  // Lucene warns through java.util.logging, on stderr, when --add-modules jdk.incubator.vector (which vecwatch's own
  // exact k-NN uses) meets a Java older than Lucene's vector code wants. Held strongly: JUL keeps loggers weakly.
  private static final java.util.logging.Logger LUCENE_VECTORIZATION =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default: the embedded demo)")
  Path config;

  @Option(names = "--web.listen-address", paramLabel = "HOST:PORT",
      description = "Address to serve HTTP on, overriding web.listen_address (default :9477)")
  String listenAddress;

  @Override
  public Integer call() throws Exception {
    LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
    VecwatchConfig c = config == null ? demo() : ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(config);
    if (listenAddress != null) {
      WebConfig w = WebConfig.parseAddress(listenAddress);
      if (w == null) {
        throw new UserException(
            "--web.listen-address: must be HOST:PORT or :PORT with a port in 0-65535, got \"" + listenAddress + "\"");
      }
      c = c.withWeb(w);
    }
    Agent agent;
    try {
      agent = Agent.builder(c).configFile(java.util.Optional.ofNullable(config)).start();
    } catch (AgentStartException e) {
      throw new UserException(e.getMessage(), e);
    }
    if (ClassArchiveTraining.requested()) {
      ClassArchiveTraining.exercise(agent, Clock.system());
      agent.close();
      return 0;
    }
    agent.alerting().reloadOnSighup();
    CountDownLatch stop = new CountDownLatch(1);
    // SIGTERM/SIGINT end the wait below, so the agent closes on this thread and the process exits 0 after a clean
    // shutdown (as Prometheus does), not 143; the hook still closes it on any other way out (System.exit, ...).
    boolean handled = onStopSignals(stop::countDown);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      agent.close();
    }, "vecwatch-shutdown"));
    printWhereToLook(System.out, c, agent.httpPort());
    stop.await();
    if (handled) {
      agent.close();
    }
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
      // the default rule pack, bundled from rules/ by the build, so the demo shows alerting from the first minute
      Optional<String> rules = Bundled.extractRules();
      if (rules.isPresent()) {
        text += "\nrule_files:\n  - '" + rules.get().replace("'", "''") + "'\n";
      }
      return ConfigLoader.withSystemEnv(TargetKinds.lookup()).parse(DEMO_NAME, text, Path.of("."));
    }
  }

  private void printWhereToLook(PrintStream out, VecwatchConfig c, int port) {
    String host = c.web().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "localhost";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String base = "http://" + host + ":" + port;
    out.println("vecwatch " + BuildInfo.version() + " running " + (config == null ? "the embedded demo" : config)
        + " (" + c.targets().size() + " targets, " + c.probes().size() + " probes)");
    out.println("  metrics:  " + base + "/metrics");
    out.println("  targets:  " + base + "/api/v1/targets");
    out.println("  status:   " + base + "/   (targets, alerts, rules, recent probes, probe on demand)");
    out.println("  ready:    " + base + "/-/ready   (200 once every target was probed; indexes build first)");
    out.println("Stop with Ctrl-C.");
    out.flush();
  }
}
