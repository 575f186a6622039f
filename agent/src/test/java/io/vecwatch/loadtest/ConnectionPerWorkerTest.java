package io.vecwatch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.LuceneHnswTarget;
import io.vecwatch.target.MultiConnection;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.target.Tunable;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers of {@code vecwatch bench load} each search through a connection of their own when the
 * target can open more (a remote database), and share the one instance when it cannot (an
 * in-process index).
 */
class ConnectionPerWorkerTest {
  private static final Dataset DATA = TestDatasets.random("gen", 2000, 16, 50, 100, 11, null);
  private static LuceneHnswTarget index;

  @BeforeAll
  static void buildIndex() throws Exception {
    index = new LuceneHnswTarget("remote", DATA, new LuceneHnswTarget.Settings(8, 40, 100));
  }

  private static LoadSettings closedOnly(int... levels) {
    return LoadSettings.defaults()
        .withFirstWarmup(Duration.ZERO)
        .withLevels(Arrays.stream(levels).boxed().toList())
        .withTiming(Duration.ofMillis(50), Duration.ofMillis(300))
        .withGuards(100_000, Duration.ofMinutes(1), 1_000_000)
        .withPhases(List.of("closed"));
  }

  private static LoadTest test(
      Target t, UnaryOperator<Target> decorate, int maxConnections, LoadSettings s) {
    return new LoadTest(
        t,
        decorate,
        maxConnections,
        Duration.ofSeconds(5),
        DATA,
        List.of(10),
        Duration.ofSeconds(1),
        Objective.DEFAULT,
        s,
        Clock.system(),
        Progress.NONE);
  }

  @Test
  void eachClosedLoopWorkerSearchesThroughItsOwnConnection() {
    Connections server = new Connections();
    LoadReport r = test(server.open(), UnaryOperator.identity(), 100, closedOnly(1, 3)).run();

    assertThat(r.complete()).isTrue();
    assertThat(server.opened).hasSize(3); // the one the command connected, and two more
    for (Conn c : server.opened) {
      // every connection served exactly one worker thread, however many steps ran
      assertThat(c.threads).hasSize(1);
    }
    assertThat(server.opened.subList(1, 3)).allSatisfy(c -> assertThat(c.closed).isTrue());
    assertThat(server.opened.get(0).closed).isFalse(); // the caller's own target stays open
    assertThat(r.notes()).contains("each worker searched through its own connection (3 opened)");
  }

  @Test
  void workersBeyondTheConnectionLimitShareTheConnections() {
    Connections server = new Connections();
    LoadReport r = test(server.open(), UnaryOperator.identity(), 2, closedOnly(4)).run();

    assertThat(server.opened).hasSize(2);
    assertThat(server.opened).allSatisfy(c -> assertThat(c.threads).hasSize(2));
    assertThat(r.steps(Mode.CLOSED).get(0).requests()).isPositive();
  }

  @Test
  void parameterSweepTunesEveryWorkersConnection() {
    Connections server = new Connections();
    LoadReport r =
        test(
                server.open(),
                UnaryOperator.identity(),
                100,
                closedOnly(3)
                    .withParameterSweep("ef", List.of(10, 60), 3)
                    .withPhases(List.of("params")))
            .run();

    assertThat(r.steps(Mode.PARAMS)).extracting(s -> s.params().get("ef")).containsExactly(10, 60);
    assertThat(server.opened).hasSize(3);
    for (Conn c : server.opened) {
      assertThat(c.tunedSearches).containsOnlyKeys(10, 60);
      assertThat(c.tunedSearches.values()).allSatisfy(n -> assertThat(n.get()).isPositive());
    }
  }

  @Test
  void injectedDelayIsAppliedToEveryNewConnection() {
    Connections server = new Connections();
    FaultInjection faults = FaultInjection.of(Map.of("remote", Duration.ofMillis(20)));
    AtomicInteger decorated = new AtomicInteger();
    UnaryOperator<Target> decorate =
        t -> {
          decorated.incrementAndGet();
          return faults.wrap(t);
        };
    LoadReport r = test(faults.wrap(server.open()), decorate, 100, closedOnly(4)).run();

    assertThat(decorated).hasValue(3);
    assertThat(server.opened).hasSize(4);
    // 4 workers, every search 20 ms late: at most 200 searches/s whichever connection they used
    StepResult s = r.steps(Mode.CLOSED).get(0);
    assertThat(s.achievedRps()).isLessThanOrEqualTo(200 * 1.05);
    assertThat(s.p50Seconds()).isGreaterThanOrEqualTo(0.020);
  }

  @Test
  void aConnectionThatNeverAnswersIsReportedAndTheWorkersShareTheOthers() {
    Connections server = new Connections();
    server.failNew.set(true);
    LoadTest t =
        new LoadTest(
            server.open(),
            UnaryOperator.identity(),
            100,
            Duration.ofMillis(200),
            DATA,
            List.of(10),
            Duration.ofSeconds(1),
            Objective.DEFAULT,
            closedOnly(2),
            Clock.system(),
            Progress.NONE);
    LoadReport r = t.run();

    assertThat(r.complete()).isTrue();
    assertThat(r.steps(Mode.CLOSED).get(0).errorRatio()).isZero();
    assertThat(server.opened.get(0).threads).hasSize(2);
    assertThat(server.opened.get(1).closed).isTrue();
    assertThat(r.notes())
        .singleElement()
        .asString()
        .startsWith("each worker searched through its own connection (1 opened; ")
        .contains("did not answer within 200ms: refused")
        .endsWith("workers shared the others)");
  }

  @Test
  void anInProcessIndexIsSharedByAllWorkers() {
    AtomicInteger searches = new AtomicInteger();
    FlatTarget flat = new FlatTarget("flat", DATA);
    Target counting =
        Tunable.view(
            "flat",
            "flat",
            (q, k) -> {
              searches.incrementAndGet();
              return flat.search(q, k);
            });
    LoadReport r = test(counting, UnaryOperator.identity(), 100, closedOnly(3)).run();

    assertThat(searches.get()).isPositive();
    assertThat(r.notes()).noneMatch(n -> n.contains("connection"));
  }

  /** A stand-in for a database server: every connection searches the same real HNSW index. */
  private static final class Connections {
    final List<Conn> opened = new CopyOnWriteArrayList<>();
    final AtomicBoolean failNew = new AtomicBoolean();

    Conn open() {
      Conn c = new Conn(this, !opened.isEmpty() && failNew.get());
      opened.add(c);
      return c;
    }
  }

  /** One connection: which threads used it, which tuned views searched through it. */
  private static final class Conn implements Target, Tunable, MultiConnection {
    final Connections server;
    final boolean refuses;
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final Map<Integer, AtomicInteger> tunedSearches = new ConcurrentHashMap<>();
    volatile boolean closed;

    Conn(Connections server, boolean refuses) {
      this.server = server;
      this.refuses = refuses;
    }

    @Override
    public String name() {
      return "remote";
    }

    @Override
    public String kind() {
      return "remote";
    }

    @Override
    public SearchResult search(float[] query, int k) throws Exception {
      if (refuses) {
        throw new IllegalStateException("refused");
      }
      String thread = Thread.currentThread().getName();
      if (thread.startsWith("vecwatch-load-")) { // not the untimed first search
        threads.add(thread);
      }
      return index.search(query, k);
    }

    @Override
    public Target newConnection() {
      return server.open();
    }

    @Override
    public List<String> tunableParameters() {
      return List.of("ef");
    }

    @Override
    public OptionalInt currentValue(String parameter) {
      return OptionalInt.empty();
    }

    @Override
    public Target withParameter(String parameter, int value) {
      Target tuned = index.withParameter(parameter, value);
      AtomicInteger n = tunedSearches.computeIfAbsent(value, v -> new AtomicInteger());
      return Tunable.view(
          "remote",
          "remote",
          (q, k) -> {
            n.incrementAndGet();
            return tuned.search(q, k);
          });
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
