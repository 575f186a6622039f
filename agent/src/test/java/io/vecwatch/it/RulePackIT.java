package io.vecwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.rules.unittest.RuleTestRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with Prometheus, proven with Prometheus' own tools (Debian's prometheus 2.42 and
 * prometheus-alertmanager 0.25, installed by .ci/peers.sh): the rule pack's unit tests pass in
 * promtool and in vecwatch, promtool and amtool accept the pack and the Alertmanager config, and
 * the differential suite prints exactly the same in both engines.
 */
class RulePackIT {
  private static final Path REPO =
      Path.of(System.getProperty("vecwatch.repo", "..")).toAbsolutePath().normalize();
  private static final Path RULES = REPO.resolve("rules");
  private static final Path PARITY = REPO.resolve("agent/src/test/resources/rules/parity");

  @BeforeAll
  static void toolsAreInstalled() {
    assertThat(Processes.which("promtool")).as("promtool (run .ci/peers.sh install)").isNotNull();
    assertThat(Processes.which("amtool")).as("amtool (run .ci/peers.sh install)").isNotNull();
  }

  private static List<Path> list(Path dir, String glob) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> dir.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
          .sorted()
          .toList();
    }
  }

  static List<Path> packTests() throws Exception {
    return list(RULES.resolve("tests"), "*.yml");
  }

  static List<Path> paritySuites() throws Exception {
    return list(PARITY, "*.test.yml");
  }

  private static Processes.Result vecwatch(Path dir, Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String rel = dir.relativize(file).toString();
    // The runner resolves paths like promtool: relative to the working directory for the file
    // argument.
    int code =
        new RuleTestRunner(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(List.of(dir.resolve(rel)));
    return new Processes.Result(
        code,
        out.toString(StandardCharsets.UTF_8).replace(dir.resolve(rel).toString(), rel),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void promtoolAcceptsThePack() throws Exception {
    List<String> cmd = new ArrayList<>(List.of("promtool", "check", "rules"));
    list(RULES, "*.yml").forEach(p -> cmd.add(p.toString()));
    Processes.Result r = Processes.run(REPO, cmd);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packTests")
  void packTestPassesInPromtoolAndInVecwatch(Path test) throws Exception {
    Processes.Result p =
        Processes.run(
            RULES, List.of("promtool", "test", "rules", RULES.relativize(test).toString()));
    assertThat(p.exit()).as("promtool:\n" + p.out() + p.err()).isZero();
    Processes.Result v = vecwatch(RULES, test);
    assertThat(v.exit()).as("vecwatch:\n" + v.out() + v.err()).isZero();
    assertThat(v.out()).isEqualTo(p.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paritySuites")
  void bothEnginesPrintTheSameResults(Path suite) throws Exception {
    Processes.Result p =
        Processes.run(
            PARITY, List.of("promtool", "test", "rules", PARITY.relativize(suite).toString()));
    Processes.Result v = vecwatch(PARITY, suite);
    assertThat(p.err()).as("the suite must make promtool print what it computed").contains("got:");
    assertThat(v.exit()).isEqualTo(p.exit());
    assertThat(v.err()).isEqualTo(p.err());
    assertThat(v.out()).isEqualTo(p.out());
  }

  @Test
  void amtoolAcceptsTheAlertmanagerConfigAndRendersTheTemplates() throws Exception {
    Path am = REPO.resolve("alertmanager");
    Processes.Result check =
        Processes.run(am, List.of("amtool", "check-config", "alertmanager.yml"));
    assertThat(check.exit()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).contains("SUCCESS").contains("2 inhibit rules").contains("4 receivers");
    Processes.Result render =
        Processes.run(
            am,
            List.of(
                "amtool",
                "template",
                "render",
                "--template.glob=templates/*.tmpl",
                "--template.text={{ template \"vecwatch.title\" . }}|{{ template \"vecwatch.text\" . }}"));
    assertThat(render.exit()).as(render.out() + render.err()).isZero();
    assertThat(render.out()).contains("Severity:").contains("Runbook:").contains("Labels:");
  }
}
