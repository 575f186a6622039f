package io.vecwatch.target.milvus;

import io.milvus.orm.iterator.QueryIterator;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.vector.request.QueryIteratorReq;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads every (key, vector) of a collection with the SDK's query iterator, one page at a time:
 * memory holds one page, whatever the collection's size. The agent's {@code groundtruth
 * --from-milvus} builds exact ground truth from it. Read-only.
 */
public final class CollectionReader {
  /** Receives one page; the arrays are the consumer's to keep. */
  @FunctionalInterface
  public interface PageConsumer {
    void accept(long[] keys, float[][] vectors) throws Exception;
  }

  private final MilvusClientV2 client;
  private final CollectionInfo info;
  private final Optional<String> filter;
  private final List<String> partitions;
  private final int pageSize;

  /**
   * @param info the collection as first contact described it; its key field must be an integer
   * @param pageSize rows per page (Milvus caps a query at 16384)
   */
  public CollectionReader(
      MilvusClientV2 client,
      CollectionInfo info,
      Optional<String> filter,
      List<String> partitions,
      int pageSize) {
    if (pageSize < 1 || pageSize > 16_384) {
      throw new IllegalArgumentException("page size must be 1..16384, got " + pageSize);
    }
    if (info.primaryType() != CollectionInfo.KeyType.INT64 && info.keyIsPrimary()) {
      throw new IllegalArgumentException(
          "collection \""
              + info.collection()
              + "\" has a VarChar primary key; "
              + "ground truth files hold integer ids");
    }
    this.client = client;
    this.info = info;
    this.filter = filter;
    this.partitions = List.copyOf(partitions);
    this.pageSize = pageSize;
  }

  /** Feeds every page to {@code consumer}; returns the number of rows read. */
  public long read(PageConsumer consumer) throws Exception {
    List<String> fields = new ArrayList<>(List.of(info.primaryField(), info.vectorField()));
    if (!info.keyIsPrimary()) {
      fields.add(info.keyField());
    }
    QueryIteratorReq.QueryIteratorReqBuilder b =
        QueryIteratorReq.builder()
            .collectionName(info.collection())
            .outputFields(fields)
            .partitionNames(new ArrayList<>(partitions))
            .batchSize(pageSize);
    filter.ifPresent(b::expr);
    QueryIterator it = client.queryIterator(b.build());
    long rows = 0;
    try {
      while (true) {
        List<QueryResultsWrapper.RowRecord> page = it.next();
        if (page.isEmpty()) {
          return rows;
        }
        long[] keys = new long[page.size()];
        float[][] vectors = new float[page.size()][];
        for (int i = 0; i < keys.length; i++) {
          QueryResultsWrapper.RowRecord r = page.get(i);
          keys[i] = Keys.asLong(r.get(info.keyField()));
          vectors[i] = SelfRecall.floats(r.get(info.vectorField()));
        }
        consumer.accept(keys, vectors);
        rows += keys.length;
      }
    } finally {
      it.close();
    }
  }
}
