package io.vecwatch.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/**
 * The seed's estimate against the bytes a real HNSW index occupies: a Lucene HNSW index built the
 * way the {@code lucene_hnsw} target builds it (Lucene99 HNSW format, M=16, one merged segment,
 * held in memory), over 5,000 x 128 vectors. Figures quoted in docs/capacity-planning.md.
 */
class CapacityEstimateVsLuceneTest {

  @Test
  void seedEstimateCoversARealHnswIndexAndItsVectorTermIsExact() throws Exception {
    int n = 5_000; // 20,000 (the demo's size) gives the same picture but takes ~20 s to build on 2
    // cores
    int dim = 128;
    int m = 16;
    Map<String, Long> bytesByExtension = new HashMap<>();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      KnnVectorsFormat format = new Lucene99HnswVectorsFormat(m, 100);
      Codec codec =
          new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
              return format;
            }
          };
      Random rnd = new Random(42);
      float[][] centers = new float[64][dim];
      for (float[] c : centers) {
        for (int j = 0; j < dim; j++) {
          c[j] = (float) rnd.nextGaussian();
        }
      }
      TieredMergePolicy noCompound = new TieredMergePolicy();
      noCompound.setNoCFSRatio(0.0); // separate files, so vectors and graph can be measured apart
      IndexWriterConfig iwc =
          new IndexWriterConfig()
              .setCodec(codec)
              .setRAMBufferSizeMB(256)
              .setUseCompoundFile(false)
              .setMergePolicy(noCompound);
      try (IndexWriter w = new IndexWriter(dir, iwc)) {
        for (int i = 0; i < n; i++) {
          float[] v = new float[dim];
          float[] c = centers[rnd.nextInt(64)];
          for (int j = 0; j < dim; j++) {
            v[j] = c[j] + 0.35f * (float) rnd.nextGaussian();
          }
          Document d = new Document();
          d.add(new KnnFloatVectorField("v", v, VectorSimilarityFunction.EUCLIDEAN));
          w.addDocument(d);
        }
        w.forceMerge(1);
      }
      for (String f : dir.listAll()) {
        String ext = f.contains(".") ? f.substring(f.lastIndexOf('.') + 1) : f;
        bytesByExtension.merge(ext, dir.fileLength(f), Long::sum);
      }
    }
    long vectors = bytesByExtension.getOrDefault("vec", 0L); // raw float32 vectors
    long graph = bytesByExtension.getOrDefault("vex", 0L); // HNSW neighbour lists, all levels
    long total = bytesByExtension.values().stream().mapToLong(Long::longValue).sum();
    MemoryEstimate e = MemoryEstimate.of(n, dim, IndexType.HNSW, m, 0, 0.2, 1);
    System.out.printf(
        "lucene hnsw %dx%d M=%d: vec=%d vex=%d total=%d; estimate vectors=%d overhead=%d with buffer=%d%n",
        n, dim, m, vectors, graph, total, e.vectorBytes(), e.overheadBytes(), e.perReplicaBytes());

    // The vector term is exact up to file headers and footers.
    assertThat((double) vectors).isCloseTo(e.vectorBytes(), within(e.vectorBytes() * 0.001));
    // 2 x M four-byte links per vector is an upper bound: Lucene delta-encodes neighbour ids.
    assertThat(graph).isPositive().isLessThanOrEqualTo(e.overheadBytes());
    // Everything the index holds fits in the estimate, buffer included.
    assertThat(total).isLessThanOrEqualTo(e.perReplicaBytes());
  }
}
