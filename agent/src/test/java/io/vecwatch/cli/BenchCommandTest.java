package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Checks what the bench reports and that it cross-checks the kernels; it does not judge any timing. */
class BenchCommandTest {

  @Test
  void groundTruthBenchReportsEveryKernelAndAgreeingIds() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "groundtruth",
        "--base-count", "600", "--dim", "9", "--queries", "13", "--k", "7", "--metric", "cosine", "--threads", "2",
        "--runs", "1", "--baseline-runs", "1");
    String text = out.toString();
    assertThat(code).as(text + err).isZero();
    assertThat(text)
        .contains("base 600 x 9, 13 queries, k=7, cosine, 2 threads")
        .contains("plain scalar loop")
        .contains("scalar blocked kernel")
        .contains("speed-up vs plain scalar loop:")
        .contains("same ids as the plain loop: yes (13 queries x 7)");
  }

  @Test
  void benchWithoutABenchmarkNameIsAUsageError() {
    StringWriter err = new StringWriter();
    assertThat(Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "bench")).isEqualTo(2);
    assertThat(err.toString()).contains("missing benchmark, one of: groundtruth, load");
  }
}
