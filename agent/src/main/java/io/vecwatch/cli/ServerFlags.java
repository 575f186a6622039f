package io.vecwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The flags of a running agent, named as Prometheus and its exporters name them ({@code vecwatch
 * --help} lists them like {@code blackbox_exporter --help}). Shared by {@code vecwatch} and {@code
 * vecwatch run}.
 */
final class ServerFlags {
  @Option(
      names = "--config.file",
      paramLabel = "FILE",
      order = 1,
      description =
          "vecwatch configuration file (default: the embedded demo). --config is an alias.")
  Path configFile;

  /** The name earlier versions used; kept so existing scripts and manifests keep working. */
  @Option(names = "--config", paramLabel = "FILE", hidden = true)
  void legacyConfig(Path p) {
    configFile = p;
  }

  @Option(
      names = "--web.listen-address",
      paramLabel = "HOST:PORT",
      order = 2,
      description =
          "Address to listen on for the web interface and metrics, overriding web.listen_address "
              + "(default :9477).")
  String listenAddress;

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      order = 3,
      description =
          "Path to a configuration file that can enable TLS or authentication (the exporter-toolkit "
              + "web configuration format). See docs/deployment.md.")
  Path webConfigFile;

  @Option(
      names = "--web.enable-lifecycle",
      order = 4,
      description =
          "Enable shutdown, reload and fault injection via HTTP request (POST /-/reload, /-/quit, "
              + "/-/faults).")
  boolean enableLifecycle;

  @Option(
      names = "--web.external-url",
      paramLabel = "URL",
      order = 5,
      description =
          "The URL under which vecwatch is externally reachable (for example, if vecwatch is served via "
              + "a reverse proxy). Used for links in alerts and for runbook_url annotations.")
  String externalUrl;

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      order = 6,
      defaultValue = "info",
      description =
          "Only log messages with the given severity or above. One of: [debug, info, warn, error].")
  String logLevel;

  @Option(
      names = "--log.format",
      paramLabel = "FORMAT",
      order = 7,
      defaultValue = "logfmt",
      description = "Output format of log messages. One of: [logfmt, json].")
  String logFormat;
}
