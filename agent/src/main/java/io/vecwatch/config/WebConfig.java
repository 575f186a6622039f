package io.vecwatch.config;

/** {@code web:} where the HTTP server listens. */
public record WebConfig(String host, int port) {
  public static final String DEFAULT_LISTEN_ADDRESS = ":9477";

  public static WebConfig parse(ConfigNode node) {
    String addr = node.string("listen_address", DEFAULT_LISTEN_ADDRESS);
    node.finish();
    WebConfig parsed = parseAddress(addr);
    if (parsed == null) {
      node.problem("listen_address", "must be HOST:PORT or :PORT with a port in 0-65535, got \"" + addr + "\"");
      return parseAddress(DEFAULT_LISTEN_ADDRESS);
    }
    return parsed;
  }

  /** Parses {@code host:port}, {@code :port} (all interfaces) or {@code [v6]:port}; null when malformed. */
  public static WebConfig parseAddress(String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    String host = addr.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    try {
      int port = Integer.parseInt(addr.substring(colon + 1));
      return port < 0 || port > 65535 ? null : new WebConfig(host, port);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public String listenAddress() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
