package io.vecwatch.target.milvus;

import io.milvus.grpc.LoadState;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.response.GetLoadStateResp;
import io.milvus.v2.service.utility.response.CheckHealthResp;
import io.milvus.v2.service.vector.response.QueryResp;
import io.vecwatch.concurrent.Backoff;
import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.concurrent.Scheduler;
import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.serverside.ServerMetricsMapping;
import io.vecwatch.serverside.SystemInfo;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.stats.OwnSearches;
import io.vecwatch.target.GroundTruthBase;
import io.vecwatch.target.Health;
import io.vecwatch.target.MultiConnection;
import io.vecwatch.target.RecordReader;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.TargetDiagnostics;
import io.vecwatch.target.TargetException;
import io.vecwatch.target.TargetKind;
import io.vecwatch.target.Tunable;
import io.vecwatch.target.milvus.Features.Feature;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A collection in a real Milvus, watched through {@code MilvusClientV2}. The agent never writes to
 * it.
 *
 * <p>Building the target does not contact Milvus: it connects in the background and keeps
 * reconnecting with backoff (see {@link Connection}), so an agent starts even while Milvus is down.
 * Until connected, searches fail at once and {@link #health()} reports down; a collection that does
 * not fit the settings makes every call throw a {@link TargetException} naming target and
 * collection (the target is misconfigured, others carry on).
 *
 * <p>Every SDK call carries a deadline ({@code connect_timeout} for connecting, {@code
 * call_timeout} for the rest), so no call hangs on a dead server; the SDK's own retries are off,
 * the agent measures each failure. Searches report primary keys (or {@code id_field}) and vecwatch
 * distances. Extra signals (load progress, index lag, quota states, self-recall) come from {@link
 * #diagnostics()}.
 */
public final class MilvusTarget
    implements Target, TargetDiagnostics, RecordReader, Tunable, MultiConnection {

  /** {@code kind: milvus}. */
  public static final TargetKind<MilvusSettings> KIND =
      new TargetKind<>() {
        @Override
        public String name() {
          return "milvus";
        }

        @Override
        public MilvusSettings parse(ConfigNode node) {
          return MilvusSettings.parse(node);
        }

        @Override
        public Target create(TargetConfig config, MilvusSettings settings, TargetContext context) {
          Optional<Dataset> dataset = config.dataset().flatMap(context::dataset);
          OwnSearches own = context.ownSearches();
          MilvusTarget t =
              new MilvusTarget(
                  config.name(),
                  settings,
                  dataset,
                  context.clock(),
                  ExecutorScheduler.create("vecwatch-milvus-" + config.name()),
                  new Random(),
                  () -> own.add(config.name()));
          t.start();
          return t;
        }

        @Override
        public Optional<ServerMetricsMapping> serverMetrics() {
          return Optional.of(MilvusMetrics.INSTANCE);
        }

        @Override
        public Optional<SystemInfo.Source> systemInfo(MilvusSettings settings) {
          return MilvusSystemInfo.forTarget(settings).map(s -> s);
        }

        @Override
        public Map<String, String> spanAttributes(MilvusSettings settings) {
          Map<String, String> out = new LinkedHashMap<>();
          out.put("db.system.name", "milvus");
          out.put("db.collection.name", settings.collection());
          settings.database().ifPresent(db -> out.put("db.namespace", db));
          return out;
        }

        @Override
        public Optional<GroundTruthBase> groundTruthBase() {
          return Optional.of(MilvusGroundTruthBase.INSTANCE);
        }
      };

  private final String name;
  private final MilvusSettings settings;
  private final Optional<Dataset> dataset;
  private final Clock clock;
  private final Random random;
  private final Runnable searchSent;
  private final Connection<Session> connection;
  private final MilvusDiagnostics diagnostics;
  private final MilvusRecords records;
  private final AtomicReference<CheckHealthResp> lastHealth = new AtomicReference<>();
  private final AtomicReference<GetLoadStateResp> lastLoad = new AtomicReference<>();

  /**
   * @param scheduler runs connection attempts (one thread per target in production)
   * @param random jitter for backoff and picks for self-recall
   */
  public MilvusTarget(
      String name,
      MilvusSettings settings,
      Optional<Dataset> dataset,
      Clock clock,
      Scheduler scheduler,
      Random random) {
    this(name, settings, dataset, clock, scheduler, random, () -> {});
  }

  /**
   * @param searchSent told of every search this target sends, just before sending it, canaries and
   *     self-recall samples alike
   */
  public MilvusTarget(
      String name,
      MilvusSettings settings,
      Optional<Dataset> dataset,
      Clock clock,
      Scheduler scheduler,
      Random random,
      Runnable searchSent) {
    this.name = name;
    this.searchSent = searchSent;
    this.settings = settings;
    this.dataset = dataset;
    this.clock = clock;
    this.random = random;
    Backoff backoff =
        Backoff.of(
            settings.reconnect().initialBackoff(),
            settings.reconnect().maxBackoff(),
            random::nextDouble);
    this.connection =
        new Connection<>(
            name,
            settings.uri(),
            new MilvusConnector(name, settings, dataset),
            Session::close,
            backoff,
            scheduler,
            clock);
    this.diagnostics =
        new MilvusDiagnostics(settings, new SelfRecall(settings, dataset, random, searchSent));
    this.records = new MilvusRecords(settings, dataset);
  }

  /** Starts connecting in the background; returns at once. */
  public void start() {
    connection.start();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  public MilvusSettings settings() {
    return settings;
  }

  /**
   * The first connection attempt ended; bounded by twice the connect timeout in case an attempt
   * hangs.
   */
  @Override
  public CompletionStage<Void> firstContact() {
    return connection
        .firstAttemptEnded()
        .toCompletableFuture()
        .completeOnTimeout(null, settings.connectTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
  }

  /** The connection's state, for status pages and tests. */
  public Connection.Status connectionStatus() {
    return connection.status();
  }

  /** What first contact learnt about the collection, once connected. */
  public Optional<CollectionInfo> collectionInfo() {
    return connection.session().map(Session::info);
  }

  @Override
  public SearchResult search(float[] query, int k) throws Exception {
    return search(query, k, settings);
  }

  private SearchResult search(float[] query, int k, MilvusSettings settings) throws Exception {
    Session s = live();
    CollectionInfo info = s.info();
    if (info.primaryType() == CollectionInfo.KeyType.VARCHAR && info.keyIsPrimary()) {
      throw new TargetException(
          "target "
              + name
              + ": collection \""
              + settings.collection()
              + "\" has a VarChar primary key; set id_field to an Int64 field so results can be matched to a dataset");
    }
    if (query.length != info.dim()) {
      throw new TargetException(
          "target "
              + name
              + ": query has dimension "
              + query.length
              + " but field \""
              + info.vectorField()
              + "\" of collection \""
              + settings.collection()
              + "\" has dimension "
              + info.dim());
    }
    try {
      if (settings == this.settings) {
        return s.searches().search(settings, info, query, k, searchSent);
      }
      // a tuned view (another search parameter), searched rarely: through the SDK
      return Searches.toResult(
          Searches.hits(
              Searches.send(s.client(), Searches.request(settings, info, query, k), searchSent),
              info),
          info.metric());
    } catch (RuntimeException e) {
      throw failed(s, "search", e);
    }
  }

  /**
   * Every health check during an outage looks whether Milvus' port accepts connections again, so a
   * server that is back is noticed within one health interval, whatever the reconnect backoff has
   * grown to; if it does, the reconnect runs now and this check waits for it (at most the connect
   * timeout).
   */
  private Optional<Session> reconnectIfBack() {
    Optional<CompletableFuture<Void>> retry = connection.retryNowIfReachable(this::portAccepts);
    if (retry.isEmpty()) {
      return Optional.empty();
    }
    try {
      retry
          .get()
          .get(
              settings.connectTimeout().plus(settings.callTimeout()).toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // still connecting or failed: this check reports down, the connection keeps trying
    }
    return connection.session();
  }

  /** A plain TCP connect to the uri's host and port, bounded by the connect timeout. */
  private boolean portAccepts() {
    URI u = URI.create(settings.uri());
    int port = u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 19530;
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(u.getHost(), port),
          (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Healthy when Milvus says so (CheckHealth; where it is not implemented, a version call proves
   * liveness) and the collection is loaded. Throws {@link TargetException} while misconfigured or
   * rejected (wrong credentials).
   */
  @Override
  public Health health() throws Exception {
    Optional<Session> live = connection.session();
    if (live.isEmpty()) {
      live = reconnectIfBack();
    }
    if (live.isEmpty()) {
      Connection.Status st = connection.status();
      String why = st.lastError().orElse("target " + name + ": connecting to " + settings.uri());
      if (st.state() == Connection.State.MISCONFIGURED
          || st.state() == Connection.State.UNAUTHENTICATED) {
        throw new TargetException(why);
      }
      return Health.down(why);
    }
    Session s = live.get();
    Features features = s.features();
    List<String> reasons = new ArrayList<>();
    boolean healthy = true;
    try {
      if (features.available(Feature.HEALTH)) {
        try {
          CheckHealthResp r = s.client().checkHealth();
          lastHealth.set(r);
          healthy = Boolean.TRUE.equals(r.getIsHealthy());
          reasons.addAll(r.getReasons());
        } catch (RuntimeException e) {
          if (!features.markIfUnsupported(Feature.HEALTH, MilvusFailure.of(e))) {
            throw e;
          }
        }
      }
      if (!features.available(Feature.HEALTH)) {
        s.client().getServerVersion(); // liveness only
      }
    } catch (RuntimeException e) {
      MilvusFailure f = MilvusFailure.of(e);
      if (f.kind() == MilvusFailure.Kind.TIMEOUT
          || f.kind() == MilvusFailure.Kind.UNREACHABLE
          || f.kind() == MilvusFailure.Kind.CANCELLED) {
        // even the cheapest call failed: the server (or the path to it) is gone
        connection.lost(s, "health check: " + f.detail());
        return Health.down("target " + name + ": health check failed: " + f.detail());
      }
      throw failed(s, "health check", e);
    }
    if (features.available(Feature.LOAD_STATE)) {
      try {
        GetLoadStateResp load =
            s.client()
                .getLoadStateV2(
                    GetLoadStateReq.builder().collectionName(settings.collection()).build());
        lastLoad.set(load);
        if (load.getState() != LoadState.LoadStateLoaded) {
          healthy = false;
          reasons.add(
              "collection \""
                  + settings.collection()
                  + "\" is not loaded ("
                  + load.getState()
                  + ")");
        }
      } catch (RuntimeException e) {
        MilvusFailure f = MilvusFailure.of(e);
        if (!features.markIfUnsupported(Feature.LOAD_STATE, f)) {
          throw failed(s, "load state", e);
        }
      }
    }
    return new Health(healthy, reasons);
  }

  /**
   * {@code count(*)} over the collection (its filter and partitions), at the configured consistency
   * level.
   */
  @Override
  public long entityCount() throws Exception {
    Session s = live();
    try {
      QueryResp r = s.client().query(Searches.count(settings));
      Object v = r.getQueryResults().get(0).getEntity().get("count(*)");
      return ((Number) v).longValue();
    } catch (RuntimeException e) {
      throw failed(s, "count(*)", e);
    }
  }

  /** A {@code get} by key: the stored vectors, null where the collection holds no such key. */
  @Override
  public float[][] vectors(long[] keys) throws Exception {
    Session s = live();
    try {
      return records.vectors(s, keys);
    } catch (RuntimeException e) {
      throw failed(s, "get by key", e);
    }
  }

  @Override
  public long[] sampleKeys(int n, Random random) throws Exception {
    Session s = live();
    try {
      return records.sampleKeys(s, n, random);
    } catch (RuntimeException e) {
      throw failed(s, "key sampling", e);
    }
  }

  /** {@code expected_entities} from the settings. */
  @Override
  public OptionalLong expectedEntities() {
    return settings.expectedEntities();
  }

  /**
   * Connection state, quota states (from the last health check), load progress, index progress,
   * loaded segments and self-recall (one sampling round per call). Calls that fail only leave their
   * series out.
   */
  @Override
  public Diagnostics diagnostics() {
    return diagnostics.collect(
        connection.status(), connection.session(), lastHealth.get(), lastLoad.get());
  }

  /** The live session, or an exception saying why there is none. */
  private Session live() throws Exception {
    Optional<Session> s = connection.session();
    if (s.isPresent()) {
      return s.get();
    }
    Connection.Status st = connection.status();
    String why =
        st.lastError().orElse("target " + name + ": not connected to " + settings.uri() + " yet");
    if (st.state() == Connection.State.MISCONFIGURED
        || st.state() == Connection.State.UNAUTHENTICATED) {
      throw new TargetException(why);
    }
    throw new ConnectException(why);
  }

  /** Turns an SDK failure into the exception callers see, telling the connection what it learnt. */
  private Exception failed(Session s, String what, RuntimeException e) {
    MilvusFailure f = MilvusFailure.of(e);
    String msg =
        "target "
            + name
            + ": "
            + what
            + " on collection \""
            + settings.collection()
            + "\" failed: "
            + f.detail();
    return switch (f.kind()) {
      case TIMEOUT ->
          new TimeoutException(
              "target "
                  + name
                  + ": "
                  + what
                  + " timed out after "
                  + Durations.format(settings.callTimeout())
                  + " ("
                  + f.detail()
                  + ")");
      case UNREACHABLE -> {
        connection.lost(s, what + ": " + f.detail());
        yield new ConnectException(msg);
      }
      case NOT_FOUND, UNAUTHENTICATED -> {
        connection.misconfigured(s, msg);
        yield new TargetException(msg);
      }
      default -> new IOException(msg);
    };
  }

  @Override
  public void close() {
    connection.close();
  }

  /** {@code ef} on an HNSW index, {@code nprobe} on an IVF index (known once connected). */
  @Override
  public List<String> tunableParameters() {
    return collectionInfo()
        .flatMap(CollectionInfo::indexType)
        .map(MilvusTarget::parameterOf)
        .map(List::of)
        .orElse(List.of());
  }

  private static String parameterOf(String indexType) {
    String t = indexType.toUpperCase(Locale.ROOT);
    return t.startsWith("HNSW") ? "ef" : t.startsWith("IVF") ? "nprobe" : null;
  }

  @Override
  public OptionalInt currentValue(String parameter) {
    return settings.searchParams().get(parameter) instanceof Number n
        ? OptionalInt.of(n.intValue())
        : OptionalInt.empty();
  }

  /** The same connection, searching with {@code search_params.<parameter> = value}. */
  @Override
  public Target withParameter(String parameter, int value) {
    if (!tunableParameters().contains(parameter)) {
      throw new IllegalArgumentException(
          "target "
              + name
              + " has no search parameter "
              + parameter
              + " (it has "
              + (tunableParameters().isEmpty() ? "none" : String.join(", ", tunableParameters()))
              + ")");
    }
    MilvusSettings tuned = settings.withSearchParam(parameter, value);
    return Tunable.view(name, KIND.name(), (query, k) -> search(query, k, tuned));
  }

  /**
   * Another client of its own (its own gRPC channel and connection thread) for the same collection
   * with the same settings, connecting in the background as {@link #start()} does.
   */
  @Override
  public Target newConnection() {
    MilvusTarget t =
        new MilvusTarget(
            name,
            settings,
            dataset,
            clock,
            ExecutorScheduler.create("vecwatch-milvus-" + name),
            random,
            searchSent);
    t.start();
    return t;
  }

  @Override
  public String toString() {
    return "MilvusTarget["
        + name
        + ", "
        + settings.uri()
        + ", collection "
        + settings.collection()
        + "]";
  }
}
