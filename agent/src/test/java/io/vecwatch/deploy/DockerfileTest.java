package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * agent/Dockerfile cannot be built here (no Docker engine) and no Dockerfile linter is packaged;
 * this checks its structure and that the runtime layout matches the build: stages, pinned bases, a
 * non-root user, the health check, and that everything it copies exists and survives the
 * .dockerignore.
 */
class DockerfileTest {
  /**
   * One instruction: keyword, arguments (continuations joined), and the stage it belongs to
   * (0-based).
   */
  record Instruction(String keyword, String args, int stage) {}

  private static List<Instruction> instructions;
  private static int stages;

  @BeforeAll
  static void parse() throws Exception {
    instructions = parse(Files.readString(Repo.file("agent/Dockerfile")));
    stages = (int) instructions.stream().filter(i -> i.keyword().equals("FROM")).count();
  }

  static List<Instruction> parse(String text) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int stage = -1;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (!current.isEmpty() && line.startsWith("#")) {
        continue; // comment inside a continued instruction
      }
      boolean continues = line.endsWith("\\");
      current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continues) {
        String full = current.toString().strip().replaceAll("\\s+", " ");
        current.setLength(0);
        int sp = full.indexOf(' ');
        String keyword = (sp < 0 ? full : full.substring(0, sp)).toUpperCase(Locale.ROOT);
        String args = sp < 0 ? "" : full.substring(sp + 1).strip();
        if (keyword.equals("FROM")) {
          stage++;
        }
        out.add(new Instruction(keyword, args, stage));
      }
    }
    return out;
  }

  private static List<Instruction> finalStage(String keyword) {
    return instructions.stream()
        .filter(i -> i.stage() == stages - 1 && i.keyword().equals(keyword))
        .toList();
  }

  @Test
  void parserJoinsContinuationsAndCountsStages() {
    List<Instruction> parsed = parse("FROM a AS b\nRUN x \\\n  # note\n  && y\nFROM c\nUSER 1\n");
    assertThat(parsed)
        .containsExactly(
            new Instruction("FROM", "a AS b", 0),
            new Instruction("RUN", "x && y", 0),
            new Instruction("FROM", "c", 1),
            new Instruction("USER", "1", 1));
  }

  @Test
  void buildsInAJdkStageWithTheWrapperAndRunsOnAPinnedJre() {
    assertThat(stages).isEqualTo(2);
    List<Instruction> froms =
        instructions.stream().filter(i -> i.keyword().equals("FROM")).toList();
    assertThat(froms.get(0).args()).matches("eclipse-temurin:17[0-9._]*-jdk-\\S+ AS build");
    assertThat(froms.get(1).args()).matches("eclipse-temurin:17[0-9._]*-jre-\\S+");
    assertThat(instructions.stream().filter(i -> i.stage() == 0 && i.keyword().equals("RUN")))
        .anySatisfy(r -> assertThat(r.args()).contains("./mvnw").contains("package"));
  }

  @Test
  void runsAsANonRootUser() {
    List<Instruction> users = finalStage("USER");
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).args().split(":")[0];
    assertThat(user).isNotIn("root", "0");
  }

  @Test
  void healthCheckCallsTheHealthyEndpointOnTheExposedPort() {
    assertThat(finalStage("HEALTHCHECK"))
        .singleElement()
        .satisfies(
            h -> assertThat(h.args()).contains("CMD").contains("http://127.0.0.1:9477/-/healthy"));
    assertThat(finalStage("EXPOSE"))
        .singleElement()
        .satisfies(e -> assertThat(e.args()).isEqualTo("9477"));
  }

  @Test
  void startsTheLauncherWhichCarriesTheJvmSettings() {
    assertThat(finalStage("ENV")).noneSatisfy(e -> assertThat(e.args()).contains("JAVA_OPTIONS"));
    assertThat(finalStage("ENTRYPOINT"))
        .singleElement()
        .satisfies(e -> assertThat(e.args()).isEqualTo("[\"/opt/vecwatch/bin/vecwatch\"]"));
  }

  @Test
  void writesTheClassDataArchiveWithTheRuntimeJvm() {
    assertThat(finalStage("COPY"))
        .anySatisfy(
            c ->
                assertThat(c.args())
                    .isEqualTo("--from=build /src/agent/src/main/dist/ /tmp/dist/"));
    assertThat(finalStage("RUN"))
        .anySatisfy(
            r ->
                assertThat(r.args()).contains("sh /tmp/dist/write-class-archive.sh /opt/vecwatch"));
    assertThat(Repo.file("agent/src/main/dist/write-class-archive.sh")).exists();
    assertThat(Repo.file("agent/src/main/dist/bin/vecwatch")).exists();
  }

  @Test
  void theJarCopiedIntoTheRuntimeIsTheOneTheBuildProduces() throws Exception {
    String pom = Files.readString(Repo.file("agent/pom.xml"));
    Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(m.find()).isTrue();
    String jar = "agent/target/" + m.group(1) + ".jar";
    assertThat(instructions.stream().filter(i -> i.stage() == 0 && i.keyword().equals("RUN")))
        .anySatisfy(r -> assertThat(r.args()).contains("cp " + jar + " /vecwatch.jar"));
    assertThat(finalStage("COPY"))
        .anySatisfy(
            c ->
                assertThat(c.args())
                    .isEqualTo("--from=build /vecwatch.jar /opt/vecwatch/vecwatch.jar"));
  }

  @Test
  void configAndStatePathsAreVolumesAndTheDefaultCommandReadsTheMountedConfig() {
    assertThat(finalStage("VOLUME"))
        .singleElement()
        .satisfies(
            v -> assertThat(v.args()).contains("\"/etc/vecwatch\"", "\"/var/lib/vecwatch\""));
    assertThat(finalStage("CMD"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.args())
                    .isEqualTo("[\"run\", \"--config\", \"/etc/vecwatch/vecwatch.yml\"]"));
  }

  @Test
  void everythingTheBuildCopiesExistsAndIsNotExcludedFromTheContext() throws Exception {
    List<String> ignore =
        Files.readAllLines(Repo.file("agent/Dockerfile.dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(ignore.get(0)).as("allow-list style: exclude everything first").isEqualTo("*");
    int copies = 0;
    for (Instruction c : instructions) {
      if (!c.keyword().equals("COPY") || c.args().startsWith("--from")) {
        continue;
      }
      String[] parts = c.args().split("\\s+");
      for (int i = 0; i < parts.length - 1; i++) {
        String src = parts[i];
        copies++;
        Path p = Repo.file(src);
        assertThat(p).as("COPY source %s", src).exists();
        String normal = src.endsWith("/") ? src : src + (Files.isDirectory(p) ? "/" : "");
        boolean included =
            ignore.stream()
                .filter(l -> l.startsWith("!"))
                .map(l -> l.substring(1))
                .anyMatch(
                    inc ->
                        normal.equals(inc)
                            || normal.startsWith(inc.endsWith("/") ? inc : inc + "/"));
        assertThat(included)
            .as("COPY source %s is excluded by agent/Dockerfile.dockerignore", src)
            .isTrue();
      }
    }
    assertThat(copies).isGreaterThanOrEqualTo(4);
  }
}
