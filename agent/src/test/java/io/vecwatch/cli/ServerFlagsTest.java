package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a Prometheus user expects it: flag names, help, wording of mistakes, checks
 * before start.
 */
class ServerFlagsTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result vecwatch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }

  private Path config(String extra) throws Exception {
    Path f = dir.resolve("vecwatch.yml");
    Files.writeString(
        f,
        """
        datasets:
          - name: d
            metric: l2
            generate: {count: 100, dim: 4, queries: 5, ground_truth_k: 10}
        targets:
          - name: a
            kind: flat
            dataset: d
        """
            + extra);
    return f;
  }

  @Test
  void helpListsThePrometheusStyleFlags() {
    Result r = vecwatch("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "--config.file=FILE",
            "--web.listen-address=HOST:PORT",
            "--web.config.file=FILE",
            "--web.enable-lifecycle",
            "--web.external-url=URL",
            "--log.level=LEVEL",
            "--log.format=FORMAT",
            "One of: [debug, info, warn, error]");
    assertThat(r.out().indexOf("--config.file"))
        .isLessThan(r.out().indexOf("--web.listen-address"));
  }

  @Test
  void anUnknownOptionPointsToVecwatchHelpOnce() {
    Result r = vecwatch("--frobnicate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Try 'vecwatch --help'.").doesNotContain("vecwatch vecwatch");
    Result sub = vecwatch("run", "--frobnicate");
    assertThat(sub.err()).contains("Try 'vecwatch run --help'.");
  }

  @Test
  void anUnknownCommandIsNamedAndTheCommandsListed() {
    Result r = vecwatch("frobnicate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("vecwatch: unknown command \"frobnicate\"\n")
        .contains("Commands: run, check-config, groundtruth, rules, bench, capacity, help");
  }

  @Test
  void aBadLogLevelIsOneLine() throws Exception {
    Result r = vecwatch("run", "--config.file", config("").toString(), "--log.level", "loud");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "vecwatch: --log.level: must be one of debug, info, warn, error, got \"loud\"\n");
  }

  @Test
  void runRejectsABrokenRuleFileBeforeBindingItsPort() throws Exception {
    Files.writeString(
        dir.resolve("bad.rules.yml"),
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(\n");
    Path cfg = config("rule_files: [bad.rules.yml]\n");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Result r =
          vecwatch(
              "run",
              "--config.file",
              cfg.toString(),
              "--web.listen-address",
              "127.0.0.1:" + taken.getLocalPort());
      assertThat(r.exit()).isEqualTo(2);
      // the rule file is what is wrong; the taken port was never tried
      assertThat(r.err()).contains("bad.rules.yml").doesNotContain("cannot listen");
    }
  }

  @Test
  void checkConfigParsesRuleFilesAsRunDoes() throws Exception {
    Files.writeString(
        dir.resolve("bad.rules.yml"),
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(\n");
    Path cfg = config("rule_files: [bad.rules.yml, 'missing/*.yml']\n");
    Result r = vecwatch("check-config", cfg.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).doesNotContain("ok");
    assertThat(r.err().lines().toList())
        .anyMatch(l -> l.startsWith(dir.resolve("bad.rules.yml") + ": "))
        .contains(cfg + ": rule_files[1]: \"missing/*.yml\" matches no file in " + dir);
  }

  @Test
  void checkConfigChecksTheWebConfigFileAsRunDoes() throws Exception {
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "basic_auth_users:\n  john: doe\n");
    Result r = vecwatch("check-config", "--web.config.file", web.toString(), config("").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            web
                + ": basic_auth_users.john: crypto/bcrypt: hashedSecret too short to be a bcrypted password\n");
  }

  @Test
  void checkConfigSaysWhatItLoaded() throws Exception {
    Files.writeString(
        dir.resolve("ok.rules.yml"),
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: vecwatch_target_up == 0\n");
    Path cfg = config("rule_files: ['*.rules.yml']\n");
    Result r = vecwatch("check-config", cfg.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(cfg + ": ok (1 dataset, 1 target, 1 probe, 1 rule group with 1 rule)\n");
  }
}
