package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vecwatch.rules.unittest.RuleTestRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The default rule pack (rules/): loads, every alert is documented and tested both firing and not
 * firing, and its unit tests pass in vecwatch's runner (RulePackIT runs them through promtool too).
 */
class RulePackTest {
  private static final Path REPO = Path.of("..");
  private static final Path RULES = REPO.resolve("rules");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<Path> files(Path dir, String glob) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
          .sorted()
          .toList();
    }
  }

  private static List<RuleSpec> alerts() throws Exception {
    RuleFileParser.Result r = RuleFileParser.parseFiles(files(RULES, "*.yml"));
    assertThat(r.problems()).isEmpty();
    return r.groups().stream().flatMap(g -> g.rules().stream()).filter(RuleSpec::alerting).toList();
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionAndARunbookSection() throws Exception {
    String runbooks = Files.readString(REPO.resolve("docs/runbooks.md"));
    List<RuleSpec> alerts = alerts();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(14);
    for (RuleSpec a : alerts) {
      assertThat(a.labels()).as(a.name()).containsKey("severity");
      // the dead man's switch pages nobody by itself: its own route sends it to a heartbeat service
      assertThat(a.labels().get("severity").text())
          .isIn(
              a.name().equals("VecwatchWatchdog")
                  ? List.of("none")
                  : List.of("critical", "warning", "info"));
      assertThat(a.annotations())
          .as(a.name())
          .containsKeys("summary", "description", "runbook_url");
      String url = a.annotations().get("runbook_url").text();
      assertThat(url).isEqualTo("docs/runbooks.md#" + a.name().toLowerCase(Locale.ROOT));
      assertThat(runbooks).as("section for " + a.name()).contains("\n## " + a.name() + "\n");
    }
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws Exception {
    Set<String> firing = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (Path t : files(RULES.resolve("tests"), "*.yml")) {
      for (JsonNode group : YAML.readTree(t.toFile()).get("tests")) {
        for (JsonNode at : group.path("alert_rule_test")) {
          String name = at.get("alertname").asText();
          (at.path("exp_alerts").isEmpty() ? silent : firing).add(name);
        }
      }
    }
    for (RuleSpec a : alerts()) {
      assertThat(firing).as("a test where %s fires", a.name()).contains(a.name());
      if (!a.name().equals("VecwatchWatchdog")) { // always fires by design
        assertThat(silent).as("a test where %s does not fire", a.name()).contains(a.name());
      }
    }
  }

  @Test
  void unitTestsPassInVecwatch() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new RuleTestRunner(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(files(RULES.resolve("tests"), "*.yml"));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
  }
}
