package io.vecwatch.target.milvus;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.CreateCollectionReq.FieldSchema;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import io.milvus.v2.service.partition.request.ListPartitionsReq;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.TargetException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks at first contact that the settings fit the collection: it exists, the vector field exists
 * and is a FloatVector of the dataset's dimension, the key field is an integer, the metric agrees
 * with the index and the dataset, the partitions exist. Every mismatch is a {@link TargetException}
 * naming target and collection.
 */
public final class CollectionCheck {
  private CollectionCheck() {}

  /**
   * @param dataset the dataset the target is probed with, when known (its dimension and metric are
   *     checked)
   */
  public static CollectionInfo check(
      String target, MilvusSettings s, MilvusClientV2 client, Optional<Dataset> dataset)
      throws TargetException {
    String where =
        "target "
            + target
            + ": collection \""
            + s.collection()
            + "\""
            + s.database().map(db -> " in database \"" + db + "\"").orElse("");
    DescribeCollectionResp desc;
    try {
      desc =
          client.describeCollection(
              DescribeCollectionReq.builder().collectionName(s.collection()).build());
    } catch (RuntimeException e) {
      MilvusFailure f = MilvusFailure.of(e);
      if (f.kind() == MilvusFailure.Kind.NOT_FOUND) {
        throw new TargetException(where + " does not exist at " + s.uri());
      }
      if (f.kind() == MilvusFailure.Kind.PERMISSION_DENIED) {
        throw new TargetException(where + ": the user may not describe it (" + f.detail() + ")");
      }
      throw e;
    }
    List<FieldSchema> fields = desc.getCollectionSchema().getFieldSchemaList();

    FieldSchema vector;
    if (s.vectorField().isPresent()) {
      String name = s.vectorField().get();
      vector =
          fields.stream()
              .filter(f -> f.getName().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new TargetException(
                          where
                              + " has no field \""
                              + name
                              + "\" (fields: "
                              + names(fields)
                              + ")"));
      if (vector.getDataType() != DataType.FloatVector) {
        throw new TargetException(
            where
                + ": field \""
                + name
                + "\" is "
                + vector.getDataType()
                + "; vecwatch probes FloatVector fields");
      }
    } else {
      List<FieldSchema> vectors =
          fields.stream().filter(f -> f.getDataType() == DataType.FloatVector).toList();
      if (vectors.size() != 1) {
        throw new TargetException(
            where
                + " has "
                + vectors.size()
                + " FloatVector fields"
                + (vectors.isEmpty() ? "" : " (" + names(vectors) + ")")
                + "; set vector_field");
      }
      vector = vectors.get(0);
    }
    int dim = vector.getDimension() == null ? -1 : vector.getDimension();
    if (dataset.isPresent() && dataset.get().dim() != dim) {
      throw new TargetException(
          where
              + ": field \""
              + vector.getName()
              + "\" has dimension "
              + dim
              + " but dataset \""
              + dataset.get().name()
              + "\" has dimension "
              + dataset.get().dim());
    }

    FieldSchema pk =
        fields.stream()
            .filter(f -> Boolean.TRUE.equals(f.getIsPrimaryKey()))
            .findFirst()
            .orElseThrow(() -> new TargetException(where + " has no primary key field"));
    CollectionInfo.KeyType pkType =
        switch (pk.getDataType()) {
          case Int64 -> CollectionInfo.KeyType.INT64;
          case VarChar -> CollectionInfo.KeyType.VARCHAR;
          default ->
              throw new TargetException(
                  where
                      + ": primary key \""
                      + pk.getName()
                      + "\" has unsupported type "
                      + pk.getDataType());
        };
    String keyField = pk.getName();
    if (s.idField().isPresent()) {
      String name = s.idField().get();
      FieldSchema id =
          fields.stream()
              .filter(f -> f.getName().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new TargetException(
                          where
                              + " has no field \""
                              + name
                              + "\" (id_field; fields: "
                              + names(fields)
                              + ")"));
      if (id.getDataType() != DataType.Int64 && id.getDataType() != DataType.Int32) {
        throw new TargetException(
            where
                + ": id_field \""
                + name
                + "\" is "
                + id.getDataType()
                + "; it must be Int64 or Int32");
      }
      keyField = name;
    } else if (pkType == CollectionInfo.KeyType.VARCHAR && dataset.isPresent()) {
      throw new TargetException(
          where
              + ": primary key \""
              + pk.getName()
              + "\" is VarChar, so search results cannot "
              + "be matched to dataset \""
              + dataset.get().name()
              + "\"; set id_field to an Int64 field holding the "
              + "dataset ids");
    }

    Optional<String> indexType = Optional.empty();
    Map<String, String> indexParams = Map.of();
    Optional<Metric> indexMetric = Optional.empty();
    try {
      DescribeIndexResp idx =
          client.describeIndex(
              DescribeIndexReq.builder()
                  .collectionName(s.collection())
                  .fieldName(vector.getName())
                  .build());
      if (!idx.getIndexDescriptions().isEmpty()) {
        DescribeIndexResp.IndexDesc d = idx.getIndexDescriptions().get(0);
        indexType =
            Optional.ofNullable(d.getIndexType())
                .filter(t -> t != IndexParam.IndexType.None)
                .map(Enum::name);
        indexParams = d.getExtraParams() == null ? Map.of() : d.getExtraParams();
        indexMetric =
            d.getMetricType() == null ? Optional.empty() : Metric.parse(d.getMetricType().name());
      }
    } catch (RuntimeException e) {
      // no index yet, or describing indexes is not allowed: searches will say what is wrong
    }
    if (s.metric().isPresent()
        && indexMetric.isPresent()
        && s.metric().get() != indexMetric.get()) {
      throw new TargetException(
          where
              + ": metric_type is "
              + s.metric().get().name()
              + " but the index on \""
              + vector.getName()
              + "\" uses "
              + indexMetric.get().name());
    }
    Optional<Metric> metric = s.metric().isPresent() ? s.metric() : indexMetric;
    if (dataset.isPresent() && metric.isPresent() && dataset.get().metric() != metric.get()) {
      throw new TargetException(
          where
              + ": dataset \""
              + dataset.get().name()
              + "\" uses metric "
              + dataset.get().metric().name()
              + " but searches on \""
              + vector.getName()
              + "\" use "
              + metric.get().name()
              + "; ground truth would not match");
    }

    if (!s.partitions().isEmpty()) {
      List<String> existing =
          client.listPartitions(ListPartitionsReq.builder().collectionName(s.collection()).build());
      for (String p : s.partitions()) {
        if (!existing.contains(p)) {
          throw new TargetException(
              where
                  + " has no partition \""
                  + p
                  + "\" (partitions: "
                  + String.join(", ", existing)
                  + ")");
        }
      }
    }
    return new CollectionInfo(
        s.collection(),
        pk.getName(),
        pkType,
        keyField,
        vector.getName(),
        dim,
        metric,
        indexType,
        indexParams);
  }

  private static String names(List<FieldSchema> fields) {
    return String.join(", ", fields.stream().map(FieldSchema::getName).toList());
  }
}
