package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.Secret;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.target.registry.TargetKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML examples of docs/milvus.md load as the text around them says. */
class MilvusDocumentationTest {
  private static final Path DOC = Path.of("../docs/milvus.md");

  @TempDir Path dir;

  private static List<String> yamlBlocks() throws Exception {
    List<String> blocks = new ArrayList<>();
    StringBuilder cur = null;
    for (String line : Files.readAllLines(DOC)) {
      String t = line.strip();
      if (cur == null && t.equals("```yaml")) {
        cur = new StringBuilder();
      } else if (cur != null && t.equals("```")) {
        blocks.add(cur.toString().stripIndent());
        cur = null;
      } else if (cur != null) {
        cur.append(line).append('\n');
      }
    }
    return blocks;
  }

  @Test
  void theMainExampleLoadsWithEveryMilvusKey() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("secrets"));
    Files.createDirectories(dir.resolve("certs"));
    TexmexFiles.writeFvecs(
        dir.resolve("data/docs-queries.fvecs"), Vectors.of(new float[][] {{1, 2}}));
    int[] row = new int[100];
    TexmexFiles.writeIvecs(dir.resolve("data/docs-gt.ivecs"), new int[][] {row});
    Files.writeString(dir.resolve("secrets/milvus-vecwatch-password"), "pw-from-file\n");
    Files.writeString(dir.resolve("certs/milvus-ca.pem"), "not parsed at load\n");
    Path file = dir.resolve("vecwatch.yml");
    Files.writeString(file, yamlBlocks().get(0));

    VecwatchConfig c = new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file);

    MilvusSettings s = (MilvusSettings) c.targets().get(0).settings();
    assertThat(s.uri()).isEqualTo("https://milvus.internal:19530");
    assertThat(s.auth())
        .isEqualTo(new MilvusSettings.UserPassword("vecwatch", Secret.of("pw-from-file")));
    assertThat(s.tls().orElseThrow().caFile()).contains(dir.resolve("certs/milvus-ca.pem"));
    assertThat(s.metric()).contains(Metric.IP);
    assertThat(s.searchParams()).containsEntry("ef", 64);
    assertThat(s.consistencyLevel()).contains("bounded");
    assertThat(s.expectedEntities()).hasValue(12_500_000);
    assertThat(c.probes().get(0).recallK()).containsExactly(10, 100);
  }

  @Test
  void theZillizCloudSnippetIsATargetWithAToken() throws Exception {
    String snippet =
        yamlBlocks().stream().filter(b -> b.contains("zillizcloud")).findFirst().orElseThrow();
    VecwatchConfig c =
        new ConfigLoader(Map.of("ZILLIZ_API_KEY", "key-123"), TargetKinds.lookup())
            .parse("doc", "targets:\n" + snippet, dir);

    MilvusSettings s = (MilvusSettings) c.targets().get(0).settings();
    assertThat(s.auth()).isEqualTo(new MilvusSettings.Token(Secret.of("key-123")));
    assertThat(s.tls()).isEmpty();
  }
}
