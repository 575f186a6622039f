package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Checks what the bench reports and that it cross-checks the kernels; it does not judge any timing. */
class BenchCommandTest {

  @Test
  void groundTruthBenchReportsEveryKernelAndAgreeingIds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.execute("bench", "groundtruth", "--base-count", "600", "--dim", "9", "--queries", "13",
          "--k", "7", "--metric", "cosine", "--threads", "2", "--runs", "1", "--baseline-runs", "1");
    } finally {
      System.setOut(old);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text)
        .contains("base 600 x 9, 13 queries, k=7, cosine, 2 threads")
        .contains("plain scalar loop")
        .contains("scalar blocked kernel")
        .contains("speed-up vs plain scalar loop:")
        .contains("same ids as the plain loop: yes (13 queries x 7)");
  }

  @Test
  void benchWithoutABenchmarkNameIsAUsageError() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.execute("bench")).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing benchmark, one of: groundtruth");
  }
}
