package io.vecwatch.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vecwatch.concurrent.Backoff;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Alertmanager's bounded queue and the thread that drains it (Prometheus' {@code sendLoop}):
 * when the queue is full the oldest alerts are dropped and counted; batches of at most {@value
 * #MAX_BATCH} are posted; a failed batch is retried with capped exponential backoff and jitter,
 * then dropped and counted (firing alerts are re-sent on the next {@code resend_delay} anyway).
 */
final class SendLoop implements AutoCloseable {
  static final int MAX_BATCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(SendLoop.class);

  private final String name;
  private final AlertmanagerClient client;
  private final int capacity;
  private final int maxRetries;
  private final Backoff backoff;
  private final Clock clock;
  private final ArrayDeque<PostableAlert> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Condition changedOnStop = lock.newCondition();
  private final Thread thread;
  private boolean stopped;
  private final Counter sent;
  private final Counter errors;
  private final Counter dropped;
  private final Timer latency;
  private volatile String lastError;
  private volatile long lastErrorMillis;
  private volatile long lastSentMillis;

  SendLoop(
      String name,
      AlertmanagerClient client,
      int capacity,
      int maxRetries,
      Duration minBackoff,
      Duration maxBackoff,
      Clock clock,
      MeterRegistry registry) {
    this.name = name;
    this.client = client;
    this.capacity = capacity;
    this.maxRetries = maxRetries;
    this.backoff =
        Backoff.of(minBackoff, maxBackoff, () -> ThreadLocalRandom.current().nextDouble());
    this.clock = clock;
    this.sent =
        Counter.builder("vecwatch.notifications.sent")
            .description("Alerts delivered to Alertmanager")
            .tag("alertmanager", name)
            .register(registry);
    this.errors =
        Counter.builder("vecwatch.notifications.errors")
            .description("Alerts in batches that failed to be delivered (each attempt counts)")
            .tag("alertmanager", name)
            .register(registry);
    this.dropped =
        Counter.builder("vecwatch.notifications.dropped")
            .description("Alerts dropped: queue full (oldest first) or retries exhausted")
            .tag("alertmanager", name)
            .register(registry);
    this.latency =
        Timer.builder("vecwatch.notifications.latency")
            .description("Time to post one batch")
            .tag("alertmanager", name)
            .register(registry);
    Gauge.builder("vecwatch.notifications.queue.length", this, SendLoop::queueLength)
        .description("Alerts waiting to be sent")
        .tag("alertmanager", name)
        .register(registry);
    Gauge.builder("vecwatch.notifications.queue.capacity", () -> capacity)
        .description("Queue capacity")
        .tag("alertmanager", name)
        .register(registry);
    this.thread = new Thread(this::loop, "vecwatch-notify-" + name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues alerts, dropping the oldest ones (and counting them) when the queue is full. */
  void add(List<PostableAlert> alerts) {
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      int drop = 0;
      for (PostableAlert a : alerts) {
        if (queue.size() == capacity) {
          queue.pollFirst();
          drop++;
        }
        queue.addLast(a);
      }
      if (drop > 0) {
        dropped.increment(drop);
        LOG.warn("alert queue for {} full, dropped {} oldest alerts", name, drop);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int queueLength() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** This queue's delivery health now. */
  AlertmanagerNotifier.Delivery delivery() {
    return new AlertmanagerNotifier.Delivery(
        name,
        queueLength(),
        capacity,
        (long) sent.count(),
        (long) errors.count(),
        (long) dropped.count(),
        lastSentMillis,
        Optional.ofNullable(lastError),
        lastErrorMillis);
  }

  private List<PostableAlert> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && !stopped) {
        changed.await();
      }
      if (stopped) {
        return null;
      }
      List<PostableAlert> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
      while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
        batch.add(queue.pollFirst());
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    try {
      while (true) {
        List<PostableAlert> batch = nextBatch();
        if (batch == null) {
          return;
        }
        deliver(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(List<PostableAlert> batch) throws InterruptedException {
    byte[] body = AlertJson.encode(batch);
    for (int attempt = 0; ; attempt++) {
      long start = clock.monotonicNanos();
      AlertmanagerClient.Outcome o = client.post(body);
      latency.record(clock.monotonicNanos() - start, TimeUnit.NANOSECONDS);
      if (o.ok()) {
        sent.increment(batch.size());
        lastSentMillis = clock.wallMillis();
        return;
      }
      errors.increment(batch.size());
      lastError = String.valueOf(o.error());
      lastErrorMillis = clock.wallMillis();
      if (!o.retryable() || attempt >= maxRetries) {
        dropped.increment(batch.size());
        LOG.warn(
            "sending {} alerts to {} failed ({}); dropped after {} attempts",
            batch.size(),
            name,
            o.error(),
            attempt + 1);
        return;
      }
      long wait = backoff.delay(attempt).toNanos();
      LOG.debug(
          "sending {} alerts to {} failed ({}); retrying in {} ms",
          batch.size(),
          name,
          o.error(),
          wait / 1_000_000);
      if (!waitUnlessStopped(wait)) {
        dropped.increment(batch.size());
        return;
      }
    }
  }

  /** Waits up to {@code nanos}; false when the loop was stopped meanwhile. */
  private boolean waitUnlessStopped(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!stopped && left > 0) {
        left = changedOnStop.awaitNanos(left);
      }
      return !stopped;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread; alerts still queued are dropped and counted. */
  @Override
  public void close() {
    lock.lock();
    try {
      stopped = true;
      if (!queue.isEmpty()) {
        dropped.increment(queue.size());
        queue.clear();
      }
      changed.signalAll();
      changedOnStop.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
