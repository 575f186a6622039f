package io.vecwatch.target.milvus;

import io.vecwatch.dataset.Metric;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent learnt about the probed collection at first contact.
 *
 * @param primaryField the primary key field
 * @param primaryType {@code Int64} or {@code VarChar}
 * @param keyField the field whose value a search reports as the key: {@code id_field}, else the
 *     primary key
 * @param vectorField the FloatVector field searched
 * @param dim its dimension
 * @param metric the metric searches use (settings, else the index's), when known
 * @param indexType the index type on the vector field ({@code HNSW}, {@code IVF_FLAT}, ...), when
 *     indexed
 * @param indexParams the index's build parameters
 */
public record CollectionInfo(
    String collection,
    String primaryField,
    KeyType primaryType,
    String keyField,
    String vectorField,
    int dim,
    Optional<Metric> metric,
    Optional<String> indexType,
    Map<String, String> indexParams) {

  public CollectionInfo {
    indexParams = Map.copyOf(indexParams);
  }

  /** Primary key types Milvus supports. */
  public enum KeyType {
    INT64,
    VARCHAR
  }

  /** Whether searches report the primary key itself (rather than {@code id_field}). */
  public boolean keyIsPrimary() {
    return keyField.equals(primaryField);
  }
}
