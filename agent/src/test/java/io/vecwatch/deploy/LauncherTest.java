package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher every documented command goes through (agent/src/main/dist/bin/vecwatch): runs the
 * real script with /bin/sh in a distribution layout whose {@code java} only prints the arguments it
 * got, and checks the JVM settings it passes.
 */
class LauncherTest {
  @TempDir Path home;
  private Path javaHome;

  @BeforeEach
  void layOut() throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.copy(Repo.file("agent/src/main/dist/bin/vecwatch"), bin.resolve("vecwatch"));
    Files.writeString(home.resolve("vecwatch.jar"), "not read: java below is a stub");
    javaHome = home.resolve("jdk");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    jdkVersion("17.0.15");
  }

  /** The version the stub JDK's release file states, as a real JDK's does. */
  private void jdkVersion(String version) throws IOException {
    Files.writeString(
        javaHome.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
  }

  private List<String> launch(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("/bin/sh", home.resolve("bin/vecwatch").toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("VECWATCH_JAVA_OPTS");
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  private List<String> jvmOptions(List<String> argv) {
    return argv.subList(0, argv.indexOf("-jar"));
  }

  @Test
  void theAgentGetsTheSidecarSizingTheSerialCollectorAndTheVectorApi() throws Exception {
    List<String> argv = launch(Map.of(), "run", "--config", "my config.yml");
    assertThat(jvmOptions(argv))
        .contains(
            "-XX:+UseSerialGC",
            "-Xms8m",
            "-XX:MaxRAMPercentage=50",
            "-Xss512k",
            "-XX:-ShrinkHeapInSteps",
            "-XX:TrimNativeHeapInterval=30000",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dio.netty.jfr.enabled=false")
        .containsSubsequence("--add-modules", "jdk.incubator.vector");
    assertThat(argv.subList(argv.indexOf("-jar"), argv.size()))
        .containsExactly(
            "-jar",
            home.toRealPath().resolve("vecwatch.jar").toString(),
            "run",
            "--config",
            "my config.yml");
  }

  @Test
  void leavesOutTheNativeHeapTrimOnJdksThatLackIt() throws Exception {
    for (String old : new String[] {"17.0.8", "21", "11.0.20"}) {
      jdkVersion(old);
      assertThat(jvmOptions(launch(Map.of(), "run")))
          .as(old)
          .contains("-XX:+UseSerialGC")
          .noneMatch(a -> a.startsWith("-XX:TrimNativeHeapInterval"));
    }
    for (String recent : new String[] {"17.0.9", "21.0.1", "25"}) {
      jdkVersion(recent);
      assertThat(jvmOptions(launch(Map.of(), "run")))
          .as(recent)
          .contains("-XX:TrimNativeHeapInterval=30000");
    }
    Files.delete(javaHome.resolve("release"));
    assertThat(jvmOptions(launch(Map.of(), "run")))
        .as("no release file")
        .noneMatch(a -> a.startsWith("-XX:TrimNativeHeapInterval"));
  }

  @Test
  void noArgumentsRunsTheDemoWithTheAgentsSizing() throws Exception {
    List<String> argv = launch(Map.of());
    assertThat(argv).contains("-XX:MaxRAMPercentage=50");
    assertThat(argv.get(argv.size() - 1)).endsWith("vecwatch.jar");
  }

  @Test
  void oneShotCommandsGetMostOfTheMemoryForTheirVectors() throws Exception {
    List<String> argv = launch(Map.of(), "groundtruth", "--base", "b.fvecs");
    assertThat(jvmOptions(argv))
        .contains("-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC")
        .containsSubsequence("--add-modules", "jdk.incubator.vector")
        .doesNotContain("-Xms8m");
  }

  @Test
  void usesTheClassDataArchiveBesideTheJarOnlyWhenItExists() throws Exception {
    assertThat(launch(Map.of(), "run"))
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile="))
        .noneMatch(a -> a.startsWith("-Xlog:cds"));
    Files.writeString(home.resolve("vecwatch.jsa"), "archive");
    assertThat(launch(Map.of(), "run"))
        .contains("-XX:SharedArchiveFile=" + home.toRealPath().resolve("vecwatch.jsa"))
        // an archive the JVM cannot use (a moved directory) is not warned about at every start
        .contains("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  @Test
  void optionsFromTheEnvironmentComeLastSoTheyWin() throws Exception {
    List<String> options =
        jvmOptions(launch(Map.of("VECWATCH_JAVA_OPTS", "-XX:MaxRAMPercentage=60 -Dx=y"), "run"));
    assertThat(options).containsSubsequence("-XX:MaxRAMPercentage=50", "-XX:MaxRAMPercentage=60");
    assertThat(options.subList(options.size() - 2, options.size()))
        .containsExactly("-XX:MaxRAMPercentage=60", "-Dx=y");
  }
}
