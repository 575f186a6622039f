package io.vecwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy a test can cut and restore on the same port: a network outage of a real
 * server without stopping it (every open connection is reset and the port refuses while cut), so
 * reconnect cycles take milliseconds, not a server restart.
 */
public final class TcpProxy implements AutoCloseable {
  private final int upstreamPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  public TcpProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = s.getLocalPort();
    listen(s);
  }

  public int port() {
    return port;
  }

  /** Closes every connection and stops listening: clients see resets, then connection refused. */
  public synchronized void cut() throws IOException {
    ServerSocket l = listener;
    listener = null;
    if (l != null) {
      l.close();
    }
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  /** Listens again on the same port. */
  public synchronized void restore() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    listen(s);
  }

  private void listen(ServerSocket s) {
    listener = s;
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try {
                  Socket client = s.accept();
                  Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                  open.add(client);
                  open.add(server);
                  pump(client, server);
                  pump(server, client);
                } catch (IOException e) {
                  return;
                }
              }
            },
            "tcp-proxy-accept-" + port);
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 << 10];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed: close both below
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException e) {
                  // already closed
                }
                open.remove(from);
                open.remove(to);
              }
            },
            "tcp-proxy-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
