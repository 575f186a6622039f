package io.vecwatch.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.stats.TargetSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exports targets' {@link Diagnostics} (Milvus load progress, index lag, quota states, self-recall,
 * ...) and their info labels as {@code vecwatch_target_info}, read from the {@link SnapshotCache}
 * at scrape time. Label sets are whatever the targets report, so series appear and disappear with
 * them; each series gets the target's {@code target}, {@code kind} and configured labels (a series'
 * own label of the same name wins).
 */
final class DiagnosticsCollector implements MultiCollector {
  static final String INFO = "vecwatch_target_info";

  private final SnapshotCache cache;

  DiagnosticsCollector(SnapshotCache cache) {
    this.cache = cache;
  }

  private record Family(String help, Diagnostics.Type type, List<Point> points) {}

  private record Point(Labels labels, double value) {}

  @Override
  public MetricSnapshots collect() {
    Map<String, Family> families = new LinkedHashMap<>();
    List<InfoSnapshot.InfoDataPointSnapshot> infos = new ArrayList<>();
    for (TargetSnapshot t : cache.get().targets()) {
      Diagnostics d = t.diagnostics();
      for (Diagnostics.Series s : d.series()) {
        Family f =
            families.computeIfAbsent(
                s.name(), n -> new Family(s.help(), s.type(), new ArrayList<>()));
        if (f.type() != s.type()) {
          continue; // one name, one type: a target reporting otherwise is ignored rather than
          // breaking the scrape
        }
        f.points().add(new Point(labels(t, s.labels()), s.value()));
      }
      if (!d.info().isEmpty()) {
        infos.add(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(t, d.info())).build());
      }
    }
    List<MetricSnapshot> out = new ArrayList<>();
    families.forEach((name, f) -> out.add(snapshot(name, f)));
    if (!infos.isEmpty()) {
      InfoSnapshot.Builder b =
          InfoSnapshot.builder()
              .name(INFO.substring(0, INFO.length() - "_info".length()))
              .help("Always 1; labels describe the target (server version, index type, ...)");
      infos.forEach(b::dataPoint);
      out.add(b.build());
    }
    return new MetricSnapshots(out);
  }

  private static MetricSnapshot snapshot(String name, Family f) {
    if (f.type() == Diagnostics.Type.COUNTER) {
      CounterSnapshot.Builder b =
          CounterSnapshot.builder()
              .name(
                  name.endsWith("_total")
                      ? name.substring(0, name.length() - "_total".length())
                      : name)
              .help(f.help());
      for (Point p : f.points()) {
        b.dataPoint(
            CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(p.labels())
                .value(p.value())
                .build());
      }
      return b.build();
    }
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(f.help());
    for (Point p : f.points()) {
      b.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(p.labels())
              .value(p.value())
              .build());
    }
    return b.build();
  }

  private static Labels labels(TargetSnapshot t, Map<String, String> own) {
    Map<String, String> all = new TreeMap<>(t.labels());
    all.put("target", t.name());
    all.put("kind", t.kind());
    all.putAll(own);
    return Labels.of(new ArrayList<>(all.keySet()), new ArrayList<>(all.values()));
  }
}
