package io.vecwatch.target.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetKindsTest {
  @Test
  void onlyTheMilvusKindReadsGroundTruthBaseVectorsFromADatabase() {
    assertThat(TargetKinds.names()).containsExactly("flat", "lucene_hnsw", "milvus");
    assertThat(TargetKinds.groundTruthBase("milvus")).isPresent();
    assertThat(TargetKinds.groundTruthBase("flat")).isEmpty();
    assertThat(TargetKinds.groundTruthBase("lucene_hnsw")).isEmpty();
    assertThat(TargetKinds.groundTruthBase("qdrant")).isEmpty();
  }
}
