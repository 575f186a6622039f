package io.vecwatch.target;

import io.vecwatch.config.TargetConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of target kinds. Adding a kind is one class and one line here. */
public final class TargetKinds {
  private static final Map<String, TargetKind<?>> KINDS = new LinkedHashMap<>();

  static {
    register(FlatTarget.KIND);
    register(LuceneHnswTarget.KIND);
    register(MilvusTarget.KIND);
  }

  private TargetKinds() {}

  private static void register(TargetKind<?> kind) {
    KINDS.put(kind.name(), kind);
  }

  public static Optional<TargetKind<?>> byName(String name) {
    return Optional.ofNullable(KINDS.get(name));
  }

  /** Builds the target {@code config} describes, with the kind its {@code kind} names. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Target create(TargetConfig config, TargetContext context) throws Exception {
    TargetKind kind = byName(config.kind()).orElseThrow(
        () -> new TargetException("target " + config.name() + ": unknown kind " + config.kind()));
    return kind.create(config, config.settings(), context);
  }

  public static List<String> names() {
    return List.copyOf(KINDS.keySet());
  }
}
