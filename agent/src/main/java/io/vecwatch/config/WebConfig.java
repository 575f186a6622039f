package io.vecwatch.config;

/** {@code web:} where the HTTP server listens. */
public record WebConfig(String host, int port) {
  public static final String DEFAULT_LISTEN_ADDRESS = ":9477";

  public static WebConfig parse(ConfigNode node) {
    String addr = node.string("listen_address", DEFAULT_LISTEN_ADDRESS);
    node.finish();
    WebConfig parsed = parseAddress(addr);
    if (parsed == null) {
      node.problem(
          "listen_address",
          "must be HOST:PORT, :PORT or [IPv6]:PORT with a port in 0-65535, got "
              + ConfigNode.quote(addr));
      return parseAddress(DEFAULT_LISTEN_ADDRESS);
    }
    return parsed;
  }

  /**
   * Parses {@code host:port}, {@code :port} (all interfaces) or {@code [v6]:port}; null when
   * malformed (no port, a port outside 0-65535, an IPv6 address without brackets, spaces).
   */
  public static WebConfig parseAddress(String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    String host = addr.substring(0, colon);
    String port = addr.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
      return null;
    }
    if (host.chars().anyMatch(c -> c <= ' ')
        || port.isEmpty()
        || port.length() > 5
        || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    int p = Integer.parseInt(port);
    if (p > 65535) {
      return null;
    }
    return new WebConfig(host.isEmpty() ? "0.0.0.0" : host, p);
  }

  public String listenAddress() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
