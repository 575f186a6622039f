package io.vecwatch.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupTest {

  @Test
  void v2ContainerTakesTheTightestLimitOfItsAncestors() {
    ContainerSample s =
        Cgroup.detect(Fixtures.root("cgroup-v2")).orElseThrow().sample().orElseThrow();

    assertThat(s.version()).isEqualTo("v2");
    assertThat(s.memoryUsageBytes()).isEqualTo(734003200L);
    // working set = memory.current - inactive_file
    assertThat(s.memoryWorkingSetBytes()).isEqualTo(734003200L - 157286400L);
    // the scope says max, the pod slice 1 GiB, kubepods.slice 16 GB: the pod wins
    assertThat(s.memoryLimitBytes()).hasValue(1L << 30);
    assertThat(s.cpuLimitCores()).hasValue(200000.0 / 100000.0);
    assertThat(s.cpuUsageNanos()).isEqualTo(98765432L * 1000);
    assertThat(s.cpuPeriods()).isEqualTo(5400);
    assertThat(s.cpuThrottledPeriods()).isEqualTo(210);
    assertThat(s.cpuThrottledNanos()).isEqualTo(3500000L * 1000);
  }

  @Test
  void v2WithItsOwnNamespaceReadsTheMountRoot() {
    ContainerSample s =
        Cgroup.detect(Fixtures.root("cgroup-v2-namespaced")).orElseThrow().sample().orElseThrow();

    assertThat(s.memoryLimitBytes()).hasValue(268435456L);
    assertThat(s.memoryWorkingSetBytes()).isEqualTo(201326592L - 20000000L);
    assertThat(s.cpuLimitCores()).hasValue(0.5);
  }

  @Test
  void v1DockerLayoutResolvesTheMountRootAndCoMountedCpuControllers() {
    Cgroup cg = Cgroup.detect(Fixtures.root("cgroup-v1-docker")).orElseThrow();
    ContainerSample s = cg.sample().orElseThrow();

    assertThat(cg.version()).isEqualTo("v1");
    assertThat(s.memoryUsageBytes()).isEqualTo(402653184L);
    assertThat(s.memoryWorkingSetBytes()).isEqualTo(402653184L - 100663296L);
    assertThat(s.memoryLimitBytes()).hasValue(536870912L);
    assertThat(s.cpuLimitCores()).hasValue(150000.0 / 100000.0);
    assertThat(s.cpuUsageNanos()).isEqualTo(81234567890L);
    assertThat(s.cpuThrottledPeriods()).isEqualTo(37);
    assertThat(s.cpuThrottledNanos()).isEqualTo(4200000000L);
  }

  @Test
  void v1HostLayoutFollowsTheProcessPathUnderTheControllerMount() {
    // Recorded on the build VM: memory cgroup /process_api/<id>, no limit (LONG_MAX rounded to a
    // page).
    ContainerSample s =
        Cgroup.detect(Fixtures.root("cgroup-v1")).orElseThrow().sample().orElseThrow();

    assertThat(s.memoryUsageBytes()).isEqualTo(3014692864L);
    assertThat(s.memoryLimitBytes()).hasValue(9223372036854771712L);
    assertThat(s.cpuLimitCores()).isEmpty();
  }

  @Test
  void noCgroupMountedMeansNoContainer(@TempDir Path root) {
    Fixtures.write(root, "/proc/self/cgroup", "0::/\n");
    Fixtures.write(
        root, "/proc/self/mountinfo", "24 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n");

    assertThat(Cgroup.detect(root)).isEmpty();
  }

  @Test
  void rootCgroupWithoutMemoryFilesGivesNoSample(@TempDir Path root) {
    Fixtures.write(root, "/proc/self/cgroup", "0::/\n");
    Fixtures.write(
        root,
        "/proc/self/mountinfo",
        "30 26 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
    Fixtures.write(root, "/sys/fs/cgroup/cgroup.controllers", "cpu memory\n");

    Optional<Cgroup> cg = Cgroup.detect(root);
    assertThat(cg).isPresent();
    assertThat(cg.get().sample()).isEmpty();
  }

  @Test
  void mountPointsWithEscapedSpacesAreUnescaped(@TempDir Path root) {
    Fixtures.write(root, "/proc/self/cgroup", "0::/\n");
    Fixtures.write(
        root,
        "/proc/self/mountinfo",
        "30 26 0:26 / /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw\n");
    Fixtures.write(root, "/sys/fs/my cgroup/memory.current", "1000\n");

    assertThat(Cgroup.detect(root).flatMap(Cgroup::sample).map(ContainerSample::memoryUsageBytes))
        .hasValue(1000L);
  }
}
