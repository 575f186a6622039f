package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CapacityCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setExecutionExceptionHandler(new UserErrors());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void isRegisteredAsASubcommandOfMain() {
    assertThat(Main.commandLine().getSubcommands()).containsKey("capacity");
  }

  @Test
  void printsTheSeedWorkedExampleWithEveryLine() {
    Run r = run("capacity", "--vectors", "10M", "--dim", "768", "--index", "hnsw");
    assertThat(r.exit()).isZero();
    double subtotal = 10_000_000.0 * 768 * 4 + 10_000_000.0 * 16 * 2 * 4;
    assertThat(r.out())
        .contains("10,000,000 vectors x 768 dims, HNSW M=16")
        .containsPattern("vectors\\s+30,720,000,000 B\\s+28\\.61 GiB")
        .containsPattern("index overhead\\s+1,280,000,000 B\\s+1\\.19 GiB")
        .containsPattern("buffer \\(\\+20%\\)\\s+6,400,000,000 B")
        .containsPattern(
            "per replica\\s+38,400,000,000 B\\s+"
                + String.format(Locale.ROOT, "%.2f", subtotal * 1.2 / (1L << 30))
                    .replace(".", "\\.")
                + " GiB")
        .doesNotContain("replicas)");
  }

  @Test
  void jsonOutputCarriesTheTotalForScripts() {
    Run r =
        run(
            "capacity",
            "--vectors",
            "1_000_000",
            "--dim",
            "128",
            "--index",
            "IVF_FLAT",
            "--replicas",
            "2",
            "--format",
            "json");
    assertThat(r.exit()).isZero();
    long raw = 1_000_000L * 128 * 4;
    long perReplica = Math.round((raw + Math.round(raw * 0.1)) * 1.2);
    assertThat(r.out()).contains("\"index\":\"ivf\"").contains("\"total_bytes\":" + 2 * perReplica);
  }

  @Test
  void badVectorCountIsOneLineAndExitTwo() {
    Run r = run("capacity", "--vectors", "ten", "--dim", "768");
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err().strip())
        .isEqualTo(
            "vecwatch: --vectors must be a non-negative whole number such as 10000000 or 10M, got \"ten\"");
  }

  @Test
  void unknownIndexIsOneLineAndExitTwo() {
    Run r = run("capacity", "--vectors", "10", "--dim", "8", "--index", "annoy");
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err().strip())
        .isEqualTo("vecwatch: --index must be one of flat, hnsw, ivf, sq, pq, got \"annoy\"");
  }

  @Test
  void smallEstimatesPrintInMebibytes() {
    Run r = run("capacity", "--vectors", "20000", "--dim", "128");
    long perReplica = Math.round((20_000L * 128 * 4 + 20_000L * 128) * 1.2);
    assertThat(r.out())
        .containsPattern(
            "per replica\\s+"
                + String.format(Locale.ROOT, "%,d", perReplica)
                + " B\\s+"
                + String.format(Locale.ROOT, "%.2f", perReplica / 1048576.0).replace(".", "\\.")
                + " MiB");
  }

  @Test
  void parsesSuffixedAndSeparatedCounts() throws UserException {
    assertThat(CapacityCommand.parseCount("10M")).isEqualTo(10_000_000L);
    assertThat(CapacityCommand.parseCount("2.5k")).isEqualTo(2_500L);
    assertThat(CapacityCommand.parseCount("1B")).isEqualTo(1_000_000_000L);
    assertThat(CapacityCommand.parseCount("10,000,000")).isEqualTo(10_000_000L);
    assertThat(CapacityCommand.parseCount("10_000_000")).isEqualTo(10_000_000L);
  }
}
