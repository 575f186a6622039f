package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.target.LuceneHnswTarget;
import io.vecwatch.target.registry.TargetKinds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The complete examples in docs/configuration.md load as the text around them says. */
class DocumentationExamplesTest {
  private static final Path DOC = Path.of("../docs/configuration.md");

  /** The YAML code blocks of the document, in order. */
  private static List<String> yamlBlocks() throws Exception {
    List<String> blocks = new ArrayList<>();
    StringBuilder cur = null;
    for (String line : Files.readAllLines(DOC)) {
      if (cur == null && line.equals("```yaml")) {
        cur = new StringBuilder();
      } else if (cur != null && line.equals("```")) {
        blocks.add(cur.toString());
        cur = null;
      } else if (cur != null) {
        cur.append(line).append('\n');
      }
    }
    return blocks;
  }

  private static String blockContaining(String marker) throws Exception {
    return yamlBlocks().stream().filter(b -> b.contains(marker)).findFirst().orElseThrow();
  }

  @Test
  void minimalExampleGivesEachTargetADefaultProbe() throws Exception {
    VecwatchConfig c =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse("doc", yamlBlocks().get(0), Path.of("."));

    assertThat(c.targets()).extracting(TargetConfig::name).containsExactly("exact", "hnsw");
    assertThat(c.probes())
        .containsExactly(
            ProbeConfig.defaults("exact", "demo"), ProbeConfig.defaults("hnsw", "demo"));
  }

  @Test
  void fullExampleLoadsWithItsMergeKeysAndDefaultProbe(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.write(data.resolve("sift_base.fvecs"), new byte[] {0});
    Files.write(data.resolve("sift_query.fvecs"), new byte[] {0});
    Files.write(
        data.resolve("sift_groundtruth.ivecs"),
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(100).array());
    Path file = dir.resolve("vecwatch.yml");
    Files.writeString(file, fullExample());

    VecwatchConfig c = new ConfigLoader(Map.of(), TargetKinds.lookup()).load(file);

    TargetConfig accurate = c.targets().get(2);
    assertThat(accurate.name()).isEqualTo("hnsw-accurate");
    assertThat(accurate.settings()).isEqualTo(new LuceneHnswTarget.Settings(16, 100, 256));
    assertThat(accurate.labels()).containsEntry("team", "search");
    assertThat(c.probes())
        .extracting(ProbeConfig::target)
        .containsExactly("hnsw-fast", "hnsw-accurate", "exact");
    assertThat(c.probes().get(0).rate()).isEqualTo(10.0);
  }

  private static String fullExample() throws Exception {
    return blockContaining("hnsw-accurate");
  }

  @Test
  void everyOtherSnippetIsAtLeastValidYaml() throws Exception {
    for (String block : yamlBlocks()) {
      assertThat(YamlTree.parse(block).problems()).as(block).isEmpty();
    }
  }
}
