package io.vecwatch.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {

  @Test
  void sameSeedGivesByteIdenticalVectors() throws Exception {
    Vectors a = GaussianMixture.of(33, 7, 0.8, 1234L).base(2000);
    Vectors b = GaussianMixture.of(33, 7, 0.8, 1234L).base(2000);
    assertThat(digest(a)).isEqualTo(digest(b));
    assertThat(digest(GaussianMixture.of(33, 7, 0.8, 1234L).queries(50)))
        .isEqualTo(digest(GaussianMixture.of(33, 7, 0.8, 1234L).queries(50)));
  }

  @Test
  void outputIsPinnedSoGeneratedDatasetsStayTheSameAcrossReleases() throws Exception {
    // SHA-256 of the float32 bytes (big-endian) as produced when the generator was written,
    // identical on
    // Java 17 and 25; a change here changes every generated dataset and its ground truth
    GaussianMixture mix = GaussianMixture.of(128, 64, 1.0, 42L);
    assertThat(digest(mix.base(1000)))
        .isEqualTo("2e54199afa38f4e07b7a2a12319744f088d3d7abb2af9fca2fb734ad95cd1b7f");
    assertThat(digest(mix.queries(100)))
        .isEqualTo("917e62356d8c8fbe08b7232776122a7b89c6024aac3ac70c71e5b430c5fbf66e");
  }

  @Test
  void aPrefixDoesNotDependOnHowManyVectorsAreDrawn() {
    GaussianMixture mix = GaussianMixture.of(16, 4, 1.0, 9L);
    Vectors few = mix.base(10);
    Vectors many = mix.base(5000);
    for (int i = 0; i < 10; i++) {
      assertThat(many.row(i)).containsExactly(few.row(i));
    }
  }

  @Test
  void differentSeedsGiveDifferentVectors() throws Exception {
    assertThat(digest(GaussianMixture.of(8, 3, 1.0, 1L).base(100)))
        .isNotEqualTo(digest(GaussianMixture.of(8, 3, 1.0, 2L).base(100)));
  }

  @Test
  void queriesAreFreshDrawsNotCopiesOfBaseVectors() {
    GaussianMixture mix = GaussianMixture.of(8, 5, 0.5, 3L);
    Vectors base = mix.base(3000);
    Vectors queries = mix.queries(200);
    Set<String> rows = new HashSet<>();
    for (int i = 0; i < base.count(); i++) {
      rows.add(Arrays.toString(base.row(i)));
    }
    for (int q = 0; q < queries.count(); q++) {
      assertThat(rows).doesNotContain(Arrays.toString(queries.row(q)));
    }
  }

  @Test
  void vectorsClusterAroundTheCentresWithTheGivenSpread() {
    // with spread s, a vector's squared distance to its nearest other vector of the same cluster is
    // about
    // 2 s^2 dim, while centres are about 2 dim apart: check the mixture really is clustered
    int dim = 64;
    GaussianMixture tight = GaussianMixture.of(dim, 10, 0.1, 5L);
    Vectors v = tight.base(2000);
    double nearest = Double.MAX_VALUE;
    double farthest = 0;
    float[] first = v.row(0);
    for (int i = 1; i < v.count(); i++) {
      double d = Metric.L2.distance(first, v.row(i));
      nearest = Math.min(nearest, d);
      farthest = Math.max(farthest, d);
    }
    double withinCluster = Math.sqrt(2.0 * dim) * 0.1 * 1.5; // spread at most 1.5 x s
    assertThat(nearest).isLessThan(withinCluster);
    assertThat(farthest).isGreaterThan(Math.sqrt(2.0 * dim) * 0.5);
  }

  private static String digest(Vectors v) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(v.data().length * 4);
    b.asFloatBuffer().put(v.data());
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }
}
