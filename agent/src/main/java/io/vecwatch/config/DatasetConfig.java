package io.vecwatch.config;

import io.vecwatch.dataset.Metric;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code datasets[i]:} a named set of base vectors, queries and ground truth, from exactly one
 * source: {@code generate:} (seeded Gaussian mixture), {@code files:} (Texmex .fvecs/.ivecs/.bvecs)
 * or {@code hdf5:} (ann-benchmarks).
 */
public record DatasetConfig(String name, Optional<Metric> metric, Source source) {

  /** Where the vectors come from. */
  public sealed interface Source permits Generated, Files, Hdf5 {}

  /** A deterministic clustered dataset; ground truth computed exactly at load. */
  public record Generated(
      int count, int dim, int queries, int clusters, long seed, int groundTruthK, double spread)
      implements Source {}

  /**
   * Texmex files; {@code groundTruth} may be absent, then it is computed at load ({@code
   * groundTruthK} deep). {@code base} may be absent when {@code groundTruth} is given: the queries
   * and ground truth of a remote collection, whose ground-truth ids are the collection's keys (what
   * {@code groundtruth --from-milvus} writes). {@code baseIds}: a text file with one key per base
   * vector (the primary key it is stored under in a remote collection), when keys are not the
   * positions.
   */
  public record Files(
      Optional<Path> base,
      Path queries,
      Optional<Path> groundTruth,
      Optional<Path> groundTruthDistances,
      int groundTruthK,
      Optional<Path> baseIds)
      implements Source {

    /** Base, queries and ground truth, keys = positions. */
    public Files(
        Path base,
        Path queries,
        Optional<Path> groundTruth,
        Optional<Path> groundTruthDistances,
        int groundTruthK) {
      this(
          Optional.of(base),
          queries,
          groundTruth,
          groundTruthDistances,
          groundTruthK,
          Optional.empty());
    }
  }

  /**
   * An ann-benchmarks HDF5 file ({@code train}, {@code test}, {@code neighbors}, {@code
   * distances}).
   */
  public record Hdf5(Path path) implements Source {}

  static DatasetConfig parse(ConfigNode n) {
    String name = n.requiredString("name");
    Optional<Metric> metric = Optional.empty();
    Optional<String> metricText = n.optionalString("metric");
    if (metricText.isPresent()) {
      metric = Metric.parse(metricText.get());
      if (metric.isEmpty()) {
        n.problem(
            "metric", "must be one of l2, ip, cosine, got " + ConfigNode.quote(metricText.get()));
      }
    }
    List<String> given = List.of("generate", "files", "hdf5").stream().filter(n::has).toList();
    Source source;
    if (given.size() != 1) {
      n.problem(
          null,
          given.isEmpty()
              ? "one of generate, files, hdf5 must be set"
              : "only one of generate, files, hdf5 may be set, got " + String.join(", ", given));
      given.forEach(n::child);
      source = null;
    } else {
      source =
          switch (given.get(0)) {
            case "generate" -> parseGenerated(n.child("generate"));
            case "files" -> parseFiles(n.child("files"));
            default -> parseHdf5(n.child("hdf5"));
          };
    }
    if (source != null && !(source instanceof Hdf5) && metric.isEmpty() && metricText.isEmpty()) {
      n.problem("metric", "must be set (l2, ip or cosine)");
    }
    n.finish();
    return new DatasetConfig(name, metric, source);
  }

  private static Generated parseGenerated(ConfigNode g) {
    Generated r =
        new Generated(
            g.integer("count", 20_000, 1, 50_000_000),
            g.integer("dim", 128, 1, 65_536),
            g.integer("queries", 200, 1, 1_000_000),
            g.integer("clusters", 64, 1, 1_000_000),
            g.longValue("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE),
            g.integer("ground_truth_k", 100, 1, 10_000),
            g.number("spread", 1.0, 0.0, 1000.0));
    if (r.groundTruthK() > r.count()) {
      g.problem(
          "ground_truth_k", "must not exceed count (" + r.count() + "), got " + r.groundTruthK());
    }
    if (r.clusters() > r.count()) {
      g.problem("clusters", "must not exceed count (" + r.count() + "), got " + r.clusters());
    }
    g.finish();
    return r;
  }

  private static Files parseFiles(ConfigNode f) {
    // base may be left out only with groundtruth: then the ids are a remote collection's keys
    Optional<Path> base =
        f.has("base") || !f.has("groundtruth")
            ? Optional.of(requiredFile(f, "base"))
            : Optional.empty();
    Path queries = requiredFile(f, "queries");
    Optional<Path> groundTruth = f.existingFile("groundtruth");
    Optional<Path> distances = f.existingFile("groundtruth_distances");
    if (distances.isPresent() && groundTruth.isEmpty()) {
      f.problem("groundtruth_distances", "needs groundtruth (the ids the distances belong to)");
    }
    Optional<Path> baseIds = f.existingFile("base_ids");
    if (baseIds.isPresent() && base.isEmpty()) {
      f.problem("base_ids", "needs base (one key per base vector)");
    }
    Files r =
        new Files(
            base,
            queries,
            groundTruth,
            distances,
            f.integer("ground_truth_k", 100, 1, 10_000),
            baseIds);
    f.finish();
    return r;
  }

  private static Hdf5 parseHdf5(ConfigNode h) {
    Path p = requiredFile(h, "path");
    h.finish();
    return new Hdf5(p);
  }

  private static Path requiredFile(ConfigNode n, String key) {
    Optional<Path> p = n.existingFile(key);
    if (p.isEmpty()) {
      n.requiredString(key); // reports "must be set" or what else is wrong with the value
    }
    return p.orElse(Path.of(""));
  }

  /**
   * How many ground-truth neighbours per query the dataset will have, when the config tells: {@code
   * ground_truth_k} when vecwatch computes the ground truth, the row width of a given {@code
   * .ivecs} file (its first int32), nothing for HDF5 (known once the file is read).
   */
  static OptionalInt groundTruthDepth(DatasetConfig d) {
    if (d.source() instanceof Generated g) {
      return OptionalInt.of(g.groundTruthK());
    }
    if (d.source() instanceof Files f) {
      return f.groundTruth().isEmpty()
          ? OptionalInt.of(f.groundTruthK())
          : ivecsWidth(f.groundTruth().get());
    }
    return OptionalInt.empty();
  }

  /** The vector dimension, when the config alone tells (generated datasets). */
  static OptionalInt dimension(DatasetConfig d) {
    return d.source() instanceof Generated g ? OptionalInt.of(g.dim()) : OptionalInt.empty();
  }

  private static OptionalInt ivecsWidth(Path file) {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      if (head.length < 4) {
        return OptionalInt.empty();
      }
      int width = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
      return width > 0 ? OptionalInt.of(width) : OptionalInt.empty();
    } catch (IOException e) {
      return OptionalInt.empty(); // reported as a file problem already, or by the reader at load
    }
  }
}
