package io.vecwatch.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The URL others reach the agent at (alert {@code generatorURL}s): its listen host, or its host
 * name for a wildcard.
 */
public final class AgentUrl {
  private AgentUrl() {}

  /**
   * {@code http://host:port}; a wildcard host ({@code 0.0.0.0}, {@code ::}) becomes this machine's
   * host name.
   */
  public static String of(String host, int port) {
    return of("http", host, port);
  }

  /** As {@link #of(String, int)} with {@code https} when the agent serves TLS. */
  public static String of(String scheme, String host, int port) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = hostName();
    }
    return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
