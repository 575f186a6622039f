package io.vecwatch.testing;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy in front of a gRPC server (Milvus) that holds every byte from the client for
 * a settable delay before forwarding it, so each call takes at least that much longer, and that
 * reads the HTTP/2 frames passing through to count calls to one gRPC method in flight on the wire:
 * a call starts with the client's HEADERS frame for its path and ends with the server's trailers
 * (HEADERS with END_STREAM) or a RST_STREAM from either side. Calls are counted where they enter
 * the proxy (before the delay) and end where the answer leaves the server, so the count never
 * exceeds what the client has outstanding.
 *
 * <p>A small proxy in the test rather than Toxiproxy: it adds no build of a Go tool to the
 * integration tests, and it can count calls of one method, which a byte-level proxy cannot.
 */
public final class LatencyProxy implements AutoCloseable {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes();
  private static final int HEADERS = 0x1;
  private static final int DATA = 0x0;
  private static final int RST_STREAM = 0x3;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;

  private final int upstreamPort;
  private final String method;
  private final ServerSocket listener;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile long delayNanos;
  private final AtomicLong minHeld = new AtomicLong(Long.MAX_VALUE);

  /**
   * @param method the gRPC path whose calls are counted, e.g. {@code
   *     /milvus.proto.milvus.MilvusService/Search}
   */
  public LatencyProxy(int upstreamPort, String method) throws IOException {
    this.upstreamPort = upstreamPort;
    this.method = method;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "latency-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Delay added to every byte from the client from now on. */
  public void delay(Duration d) {
    delayNanos = d.toNanos();
  }

  /** Calls of the method in flight now. */
  public int inFlight() {
    return inFlight.size();
  }

  /** The most calls of the method ever in flight at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Calls of the method started so far. */
  public long calls() {
    return calls.get();
  }

  /** The shortest time a byte sent under a delay was actually held: at least the delay. */
  public Duration minHeld() {
    return Duration.ofNanos(minHeld.get());
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        open.add(client);
        open.add(server);
        long conn = connections.incrementAndGet();
        BlockingQueue<Chunk> delayed = new LinkedBlockingQueue<>();
        FrameTap fromClient = new FrameTap(conn, true);
        FrameTap fromServer = new FrameTap(conn, false);
        daemon(() -> readInto(client, server, fromClient, delayed), "latency-proxy-c2p");
        daemon(() -> writeDelayed(delayed, client, server), "latency-proxy-p2s");
        daemon(() -> pump(server, client, fromServer), "latency-proxy-s2c");
      } catch (IOException e) {
        return;
      }
    }
  }

  private record Chunk(long due, long delay, byte[] bytes) {}

  private static final Chunk EOF = new Chunk(0, 0, new byte[0]);

  private void readInto(Socket from, Socket to, FrameTap tap, BlockingQueue<Chunk> out) {
    byte[] buf = new byte[16 << 10];
    try (InputStream in = from.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        byte[] b = Arrays.copyOf(buf, n);
        tap.feed(b);
        long d = delayNanos;
        out.add(new Chunk(System.nanoTime() + d, d, b));
      }
    } catch (IOException e) {
      // closed
    } finally {
      out.add(EOF);
    }
  }

  private void writeDelayed(BlockingQueue<Chunk> in, Socket from, Socket to) {
    try (OutputStream out = to.getOutputStream()) {
      while (true) {
        Chunk c = in.take();
        if (c == EOF) {
          break;
        }
        // a proxy's own pacing: each chunk leaves when its delay is over, in order
        long wait;
        while ((wait = c.due() - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        out.write(c.bytes());
        out.flush();
        long held = System.nanoTime() - (c.due() - c.delay());
        if (c.delay() > 0) {
          minHeld.accumulateAndGet(held, Math::min);
        }
      }
    } catch (IOException | InterruptedException e) {
      // closed
    } finally {
      closeQuietly(from, to);
    }
  }

  private void pump(Socket from, Socket to, FrameTap tap) {
    byte[] buf = new byte[16 << 10];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        tap.feed(Arrays.copyOf(buf, n));
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed
    } finally {
      closeQuietly(from, to);
    }
  }

  private void closeQuietly(Socket a, Socket b) {
    try {
      a.close();
      b.close();
    } catch (IOException e) {
      // already closed
    }
    open.remove(a);
    open.remove(b);
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  /** Splits one direction's bytes into HTTP/2 frames and tracks the calls they start and end. */
  private final class FrameTap {
    private final long conn;
    private final boolean client;
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
    private int headerStream;
    private byte[] pending = new byte[0];
    private boolean prefaceSeen;

    FrameTap(long conn, boolean client) {
      this.conn = conn;
      this.client = client;
      this.prefaceSeen = !client;
      try {
        decoder.maxHeaderTableSize(1 << 20);
      } catch (Http2Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void feed(byte[] bytes) {
      byte[] b = new byte[pending.length + bytes.length];
      System.arraycopy(pending, 0, b, 0, pending.length);
      System.arraycopy(bytes, 0, b, pending.length, bytes.length);
      int pos = 0;
      if (!prefaceSeen) {
        if (b.length < PREFACE.length) {
          pending = b;
          return;
        }
        pos = PREFACE.length;
        prefaceSeen = true;
      }
      while (b.length - pos >= 9) {
        int len = ((b[pos] & 0xff) << 16) | ((b[pos + 1] & 0xff) << 8) | (b[pos + 2] & 0xff);
        if (b.length - pos - 9 < len) {
          break;
        }
        int type = b[pos + 3] & 0xff;
        int flags = b[pos + 4] & 0xff;
        int stream =
            ((b[pos + 5] & 0x7f) << 24)
                | ((b[pos + 6] & 0xff) << 16)
                | ((b[pos + 7] & 0xff) << 8)
                | (b[pos + 8] & 0xff);
        frame(type, flags, stream, b, pos + 9, len);
        pos += 9 + len;
      }
      pending = Arrays.copyOfRange(b, pos, b.length);
    }

    private void frame(int type, int flags, int stream, byte[] b, int off, int len) {
      long key = (conn << 32) | stream;
      if (type == RST_STREAM) {
        inFlight.remove(key); // a call cancelled by the client (its deadline) or refused
        return;
      }
      if (!client) {
        if ((type == HEADERS || type == DATA) && (flags & END_STREAM) != 0) {
          inFlight.remove(key); // the server's trailers: the call is over
        }
        return;
      }
      if (type == HEADERS) {
        int start = off;
        int end = off + len;
        if ((flags & PADDED) != 0) {
          end -= b[start] & 0xff;
          start++;
        }
        if ((flags & PRIORITY) != 0) {
          start += 5;
        }
        headerBlock.reset();
        headerBlock.write(b, start, end - start);
        headerStream = stream;
      } else if (type == CONTINUATION) {
        headerBlock.write(b, off, len);
      } else {
        return;
      }
      if ((flags & END_HEADERS) != 0) {
        try {
          Http2Headers h =
              decoder.decodeHeaders(
                  headerStream, Unpooled.wrappedBuffer(headerBlock.toByteArray()));
          CharSequence path = h.path();
          if (path != null && method.contentEquals(path)) {
            calls.incrementAndGet();
            inFlight.add((conn << 32) | headerStream);
            maxInFlight.accumulateAndGet(inFlight.size(), Math::max);
          }
        } catch (Http2Exception e) {
          throw new IllegalStateException("cannot decode HTTP/2 headers: " + e, e);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }
}
