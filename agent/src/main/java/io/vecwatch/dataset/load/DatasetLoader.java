package io.vecwatch.dataset.load;

import io.vecwatch.config.DatasetConfig;
import io.vecwatch.config.DatasetConfig.Files;
import io.vecwatch.config.DatasetConfig.Generated;
import io.vecwatch.config.DatasetConfig.Hdf5;
import io.vecwatch.dataset.AnnBenchmarksHdf5;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.DatasetException;
import io.vecwatch.dataset.GaussianMixture;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.ExactKnn;
import io.vecwatch.knn.KnnResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link DatasetConfig} into a {@link Dataset}: generates or reads the vectors, reads or
 * computes the ground truth (exact k-NN, {@link ExactKnn}), and checks that base, queries and
 * ground truth agree. Every problem is a {@link DatasetException} with one line naming the file.
 *
 * <pre>{@code
 * Dataset d = DatasetLoader.load(config.datasets().get(0), Runtime.getRuntime().availableProcessors());
 * }</pre>
 */
public final class DatasetLoader {
  /**
   * Ground-truth depth computed for an HDF5 file that has no {@code neighbors} (ann-benchmarks uses
   * 100).
   */
  static final int HDF5_DEFAULT_DEPTH = 100;

  private DatasetLoader() {}

  /** Loads with one k-NN worker per available core. */
  public static Dataset load(DatasetConfig config) throws DatasetException {
    return load(config, Runtime.getRuntime().availableProcessors());
  }

  /** Loads; {@code threads} workers compute ground truth when it has to be computed. */
  public static Dataset load(DatasetConfig config, int threads) throws DatasetException {
    DatasetConfig.Source source = config.source();
    if (source instanceof Generated g) {
      return generated(config, g, threads);
    }
    if (source instanceof Files f) {
      return files(config, f, threads);
    }
    if (source instanceof Hdf5 h) {
      return hdf5(config, h, threads);
    }
    throw new IllegalArgumentException("dataset " + config.name() + ": no source");
  }

  private static Dataset generated(DatasetConfig config, Generated g, int threads) {
    Metric metric =
        config
            .metric()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "dataset " + config.name() + ": a generated dataset needs a metric"));
    GaussianMixture mix = GaussianMixture.of(g.dim(), g.clusters(), g.spread(), g.seed());
    Vectors base = mix.base(g.count());
    Vectors queries = mix.queries(g.queries());
    KnnResult gt =
        groundTruth(base, queries, metric, Math.min(g.groundTruthK(), g.count()), threads);
    return Dataset.builder(config.name(), metric)
        .base(base)
        .queries(queries)
        .groundTruth(gt.idMatrix(), gt.distanceMatrix())
        .build();
  }

  private static Dataset files(DatasetConfig config, Files f, int threads) throws DatasetException {
    Metric metric =
        config
            .metric()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "dataset " + config.name() + ": a files dataset needs a metric"));
    Vectors queries = TexmexFiles.readVectors(f.queries());
    if (f.base().isEmpty()) {
      return remote(config, f, metric, queries);
    }
    Path baseFile = f.base().get();
    Vectors base = TexmexFiles.readVectors(baseFile);
    checkDimensions(f.queries(), queries, baseFile, base);
    Dataset.Builder b = Dataset.builder(config.name(), metric).base(base).queries(queries);
    if (f.baseIds().isPresent()) {
      b.baseIds(readKeys(f.baseIds().get(), base.count(), baseFile));
    }
    if (f.groundTruth().isEmpty()) {
      if (f.groundTruthDistances().isPresent()) {
        throw DatasetException.in(
            f.groundTruthDistances().get(),
            "ground-truth distances given without ground-truth ids (set groundtruth too)");
      }
      KnnResult gt =
          groundTruth(base, queries, metric, Math.min(f.groundTruthK(), base.count()), threads);
      return b.groundTruth(gt.idMatrix(), gt.distanceMatrix()).build();
    }
    Path gtFile = f.groundTruth().get();
    int[][] ids = TexmexFiles.readIvecs(gtFile);
    checkGroundTruth(
        gtFile, ids, queries.count(), f.queries().toString(), base.count(), baseFile.toString());
    float[][] distances = null;
    if (f.groundTruthDistances().isPresent()) {
      Path dFile = f.groundTruthDistances().get();
      distances = TexmexFiles.readFvecsRows(dFile);
      checkDistances(dFile.toString(), distances, gtFile.toString(), ids);
    }
    return b.groundTruth(ids, distances).build();
  }

  /**
   * Queries and ground truth of a collection vecwatch does not hold: the ground-truth ids are the
   * collection's keys (position = key, no base vectors).
   */
  private static Dataset remote(DatasetConfig config, Files f, Metric metric, Vectors queries)
      throws DatasetException {
    Path gtFile = f.groundTruth().orElseThrow();
    int[][] ids = TexmexFiles.readIvecs(gtFile);
    if (ids.length != queries.count()) {
      throw new DatasetException(
          gtFile
              + ": "
              + ids.length
              + " rows, but "
              + f.queries()
              + " has "
              + queries.count()
              + " queries");
    }
    for (int q = 0; q < ids.length; q++) {
      for (int id : ids[q]) {
        if (id < 0) {
          throw new DatasetException(
              gtFile + ": row " + q + " holds id " + id + "; keys are not negative");
        }
      }
    }
    float[][] distances = null;
    if (f.groundTruthDistances().isPresent()) {
      Path dFile = f.groundTruthDistances().get();
      distances = TexmexFiles.readFvecsRows(dFile);
      checkDistances(dFile.toString(), distances, gtFile.toString(), ids);
    }
    return Dataset.builder(config.name(), metric)
        .queries(queries)
        .groundTruth(ids, distances)
        .build();
  }

  /**
   * One integer key per line (blank lines and {@code #} comments skipped), exactly one per base
   * vector.
   */
  static long[] readKeys(Path file, int baseCount, Path baseFile) throws DatasetException {
    List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read (" + e.getClass().getSimpleName() + ")");
    }
    long[] keys = new long[baseCount];
    int n = 0;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (n == baseCount) {
        throw DatasetException.in(
            file, "more keys than the " + baseCount + " base vectors of " + baseFile);
      }
      try {
        keys[n++] = Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw DatasetException.in(file, "line " + (i + 1) + ": not an integer key: \"" + t + "\"");
      }
    }
    if (n != baseCount) {
      throw DatasetException.in(
          file, n + " keys, but " + baseFile + " has " + baseCount + " base vectors");
    }
    return keys;
  }

  private static Dataset hdf5(DatasetConfig config, Hdf5 h, int threads) throws DatasetException {
    Path file = h.path();
    AnnBenchmarksHdf5.Contents c = AnnBenchmarksHdf5.read(file);
    Metric metric = resolveMetric(file, c.metric(), config.metric());
    Dataset.Builder b = Dataset.builder(config.name(), metric).base(c.train()).queries(c.test());
    if (c.neighbors().isEmpty()) {
      KnnResult gt =
          groundTruth(
              c.train(),
              c.test(),
              metric,
              Math.min(HDF5_DEFAULT_DEPTH, c.train().count()),
              threads);
      return b.groundTruth(gt.idMatrix(), gt.distanceMatrix()).build();
    }
    int[][] ids = c.neighbors().get();
    String prefix = file + ": ";
    checkGroundTruthRows(
        prefix + AnnBenchmarksHdf5.NEIGHBORS,
        ids,
        c.test().count(),
        AnnBenchmarksHdf5.TEST,
        c.train().count(),
        AnnBenchmarksHdf5.TRAIN);
    float[][] distances = c.distances().orElse(null);
    if (distances != null) {
      checkDistances(
          prefix + AnnBenchmarksHdf5.DISTANCES, distances, AnnBenchmarksHdf5.NEIGHBORS, ids);
    }
    return b.groundTruth(ids, distances).build();
  }

  /** The exact k-NN every ground truth comes from (also the {@code groundtruth} command's). */
  private static KnnResult groundTruth(
      Vectors base, Vectors queries, Metric metric, int k, int threads) {
    return ExactKnn.builder(base, metric).threads(threads).build().search(queries, k);
  }

  private static Metric resolveMetric(Path file, Optional<Metric> inFile, Optional<Metric> inConfig)
      throws DatasetException {
    if (inFile.isPresent() && inConfig.isPresent() && inFile.get() != inConfig.get()) {
      throw DatasetException.in(
          file,
          "its distance attribute means "
              + inFile.get().id()
              + " but the config sets metric "
              + inConfig.get().id());
    }
    return inFile
        .or(() -> inConfig)
        .orElseThrow(
            () ->
                DatasetException.in(
                    file, "no \"distance\" attribute; set metric in the dataset config"));
  }

  static void checkDimensions(Path queryFile, Vectors queries, Path baseFile, Vectors base)
      throws DatasetException {
    if (queries.dim() != base.dim()) {
      throw DatasetException.in(
          queryFile,
          "dimension "
              + queries.dim()
              + " does not match the base vectors ("
              + baseFile
              + " has dimension "
              + base.dim()
              + ")");
    }
  }

  private static void checkGroundTruth(
      Path gtFile, int[][] ids, int queryCount, String queryFile, int baseCount, String baseFile)
      throws DatasetException {
    checkGroundTruthRows(gtFile.toString(), ids, queryCount, queryFile, baseCount, baseFile);
  }

  /**
   * Row count equals the query count; every id is a base position. {@code what} starts the message.
   */
  private static void checkGroundTruthRows(
      String what, int[][] ids, int queryCount, String queryName, int baseCount, String baseName)
      throws DatasetException {
    if (ids.length != queryCount) {
      throw new DatasetException(
          what + ": " + ids.length + " rows, but " + queryName + " has " + queryCount + " queries");
    }
    for (int q = 0; q < ids.length; q++) {
      for (int id : ids[q]) {
        if (id < 0 || id >= baseCount) {
          throw new DatasetException(
              what
                  + ": row "
                  + q
                  + " holds id "
                  + id
                  + ", outside the base ("
                  + baseName
                  + " has "
                  + baseCount
                  + " vectors, ids 0.."
                  + (baseCount - 1)
                  + ")");
        }
      }
    }
  }

  private static void checkDistances(String what, float[][] distances, String idsName, int[][] ids)
      throws DatasetException {
    int idWidth = ids.length == 0 ? 0 : ids[0].length;
    int dWidth = distances.length == 0 ? 0 : distances[0].length;
    if (distances.length != ids.length || dWidth != idWidth) {
      throw new DatasetException(
          what
              + ": "
              + distances.length
              + " rows of "
              + dWidth
              + " distances, but "
              + idsName
              + " has "
              + ids.length
              + " rows of "
              + idWidth
              + " ids");
    }
  }
}
