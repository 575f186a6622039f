package io.vecwatch.capacity;

/**
 * Index families the memory estimate knows, with how many bytes one vector occupies and what the
 * index adds on top. The per-vector and overhead rules are the production guide's (HNSW: {@code 2 ×
 * M} four-byte links per vector; IVF: about 10 % of the stored vectors for the inverted lists)
 * extended to the quantized variants it mentions (SQ8: one byte per dimension instead of four; PQ:
 * {@code m} one-byte codes per vector plus the codebooks).
 */
public enum IndexType {
  /** Brute force over the raw vectors: no index structure. */
  FLAT,
  /**
   * Graph index (Milvus {@code HNSW}, Lucene): raw vectors plus {@code 2 × M} neighbour ids of 4
   * bytes.
   */
  HNSW,
  /**
   * Inverted file over raw vectors (Milvus {@code IVF_FLAT}): raw vectors plus 10 % for the lists.
   */
  IVF,
  /**
   * Inverted file over 8-bit scalar-quantized vectors (Milvus {@code IVF_SQ8}): 1 byte per
   * dimension + 10 %.
   */
  SQ,
  /**
   * Inverted file over product-quantized codes (Milvus {@code IVF_PQ}, {@code nbits=8}): m bytes +
   * codebooks + 10 %.
   */
  PQ
}
