package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Checks what the bench reports and that it cross-checks the ids; it does not judge any timing. */
class BenchCommandTest {

  private static String bench(int expectedCode, String python) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "bench",
            "groundtruth",
            "--base-count",
            "600",
            "--dim",
            "9",
            "--queries",
            "13",
            "--k",
            "7",
            "--metric",
            "cosine",
            "--threads",
            "2",
            "--runs",
            "2",
            "--python",
            python);
    assertThat(code).as(out + "" + err).isEqualTo(expectedCode);
    return out.toString();
  }

  @Test
  void withoutNumpyItSaysThereIsNoReferenceAndStillChecksItsIds() {
    String text = bench(0, "/nonexistent/python3");
    assertThat(text)
        .contains("base 600 x 9, 13 queries, k=7, cosine, 2 threads")
        .contains("numpy and faiss-cpu not found (/nonexistent/python3: ")
        .contains("no reference to compare with")
        .containsPattern("vecwatch +[0-9.]+ s / +[0-9.]+ s")
        .doesNotContain("numpy whole process")
        .contains("same ids as the plain one-pair-at-a-time loop: yes");
  }

  /**
   * A real numpy: the Python .ci/peers.sh installs Milvus Lite into has it (or
   * VECWATCH_BENCH_PYTHON names one). Skipped where neither exists.
   */
  @Test
  void comparesWithNumpysExactAnswerInTheSameRun() {
    String python =
        System.getenv()
            .getOrDefault(
                "VECWATCH_BENCH_PYTHON",
                System.getProperty("user.home") + "/.cache/vecwatch-peers/milvus-lite/bin/python");
    assumeTrue(Files.isExecutable(Path.of(python)), "no Python with numpy at " + python);
    String text = bench(0, python);
    assertThat(text)
        .containsPattern("numpy +[0-9.]+ s / +[0-9.]+ s +[0-9.]+ +[0-9.]+x")
        .contains("numpy whole process")
        .contains(
            "same ids as numpy's exact answer (double-precision re-rank, ties by id): yes (13 queries x 7)");
  }

  @Test
  void benchWithoutABenchmarkNameIsAUsageError() {
    StringWriter err = new StringWriter();
    assertThat(
            Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "bench"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("missing benchmark, one of: groundtruth, load");
  }
}
