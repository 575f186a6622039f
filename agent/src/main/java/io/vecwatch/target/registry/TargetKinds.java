package io.vecwatch.target.registry;

import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TargetKindLookup;
import io.vecwatch.serverside.ServerMetricsMapping;
import io.vecwatch.serverside.SystemInfo;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.GroundTruthBase;
import io.vecwatch.target.LuceneHnswTarget;
import io.vecwatch.target.Target;
import io.vecwatch.target.TargetContext;
import io.vecwatch.target.TargetException;
import io.vecwatch.target.TargetKind;
import io.vecwatch.target.milvus.MilvusTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of target kinds. Adding a kind is one class (or, for a database, one package) and
 * one line here.
 */
public final class TargetKinds {
  private static final Map<String, TargetKind<?>> KINDS = new LinkedHashMap<>();

  static {
    register(FlatTarget.KIND);
    register(LuceneHnswTarget.KIND);
    register(MilvusTarget.KIND);
  }

  private static final TargetKindLookup LOOKUP =
      new TargetKindLookup() {
        @Override
        public Optional<TargetKind<?>> byName(String name) {
          return TargetKinds.byName(name);
        }

        @Override
        public List<String> names() {
          return TargetKinds.names();
        }
      };

  private TargetKinds() {}

  /**
   * The registry as the config loader sees it: {@code new ConfigLoader(env, TargetKinds.lookup())}.
   */
  public static TargetKindLookup lookup() {
    return LOOKUP;
  }

  private static void register(TargetKind<?> kind) {
    KINDS.put(kind.name(), kind);
  }

  public static Optional<TargetKind<?>> byName(String name) {
    return Optional.ofNullable(KINDS.get(name));
  }

  /** Builds the target {@code config} describes, with the kind its {@code kind} names. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Target create(TargetConfig config, TargetContext context) throws Exception {
    TargetKind kind =
        byName(config.kind())
            .orElseThrow(
                () ->
                    new TargetException(
                        "target " + config.name() + ": unknown kind " + config.kind()));
    return kind.create(config, config.settings(), context);
  }

  /** The server metrics mapping of the kind named {@code kind}, when it has one. */
  public static Optional<ServerMetricsMapping> serverMetrics(String kind) {
    return byName(kind).flatMap(TargetKind::serverMetrics);
  }

  /** Where {@code config}'s server reports memory and CPU, when its kind can ask. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Optional<SystemInfo.Source> systemInfo(TargetConfig config) {
    Optional<TargetKind<?>> kind = byName(config.kind());
    return kind.isEmpty() || config.settings() == null
        ? Optional.empty()
        : ((TargetKind) kind.get()).systemInfo(config.settings());
  }

  /** The constant span attributes {@code config}'s kind gives its probe spans. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Map<String, String> spanAttributes(TargetConfig config) {
    Optional<TargetKind<?>> kind = byName(config.kind());
    return kind.isEmpty() || config.settings() == null
        ? Map.of()
        : ((TargetKind) kind.get()).spanAttributes(config.settings());
  }

  /**
   * How {@code groundtruth --from-<kind>} reads base vectors from the kind named {@code kind}, when
   * it can.
   */
  public static Optional<GroundTruthBase> groundTruthBase(String kind) {
    return byName(kind).flatMap(TargetKind::groundTruthBase);
  }

  public static List<String> names() {
    return List.copyOf(KINDS.keySet());
  }
}
