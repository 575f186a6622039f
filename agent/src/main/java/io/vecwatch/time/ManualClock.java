package io.vecwatch.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; wall and monotonic time advance together. Thread-safe. */
public final class ManualClock implements Clock {
  private final AtomicLong nanos = new AtomicLong();
  private final long wallOriginMillis;

  public ManualClock(long wallOriginMillis) {
    this.wallOriginMillis = wallOriginMillis;
  }

  public ManualClock() {
    this(1_700_000_000_000L);
  }

  public ManualClock advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    return this;
  }

  public ManualClock advanceNanos(long n) {
    nanos.addAndGet(n);
    return this;
  }

  @Override
  public long wallMillis() {
    return wallOriginMillis + nanos.get() / 1_000_000L;
  }

  @Override
  public long monotonicNanos() {
    return nanos.get();
  }
}
