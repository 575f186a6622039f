package io.vecwatch.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.resources.HostReader.DiskIo;
import io.vecwatch.resources.HostReader.NetIo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostReaderTest {

  @Test
  void readsRecordedProcFiles() {
    HostReader r = HostReader.at(Fixtures.root("host"));

    // cpu  68786 30371 17468 90317 594 0 183 366 0 0  (user nice system idle iowait irq softirq
    // steal)
    HostReader.HostCpu cpu = r.cpu().orElseThrow();
    long total = 68786 + 30371 + 17468 + 90317 + 594 + 0 + 183 + 366;
    assertThat(cpu.totalTicks()).isEqualTo(total);
    assertThat(cpu.busyTicks()).isEqualTo(total - 90317 - 594);
    assertThat(cpu.cpus()).isEqualTo(2);

    HostReader.HostMemory mem = r.memory().orElseThrow();
    assertThat(mem.totalBytes()).isEqualTo(24684084L * 1024);
    assertThat(mem.availableBytes()).isEqualTo(22757008L * 1024);

    // loop0-7 and zram0 are left out; vda is the only disk
    assertThat(r.disks()).extracting(DiskIo::device).containsExactly("vda");
    assertThat(r.network()).extracting(NetIo::device).containsExactly("eth0", "ifb0", "ifb1");
    NetIo eth0 = r.network().get(0);
    assertThat(eth0.receivedBytes()).isEqualTo(789163546L);
    assertThat(eth0.transmittedBytes()).isEqualTo(3328904L);
  }

  @Test
  void diskStatsCountWholeDisksInBytes(@TempDir Path root) {
    Fixtures.write(
        root,
        "/proc/diskstats",
        String.join(
            "\n",
            " 259       0 nvme0n1 5000 10 80000 900 7000 20 160000 1200 0 3100 2100 0 0 0 0",
            " 259       1 nvme0n1p1 4000 10 60000 800 6000 20 150000 1100 0 3000 1900 0 0 0 0",
            "   8       0 sda 100 0 2000 10 50 0 400 5 0 77 15",
            "   8       1 sda1 90 0 1800 9 40 0 300 4 0 70 13",
            "   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0",
            ""));

    assertThat(HostReader.at(root).disks())
        .containsExactly(
            new DiskIo("nvme0n1", 80000L * 512, 160000L * 512, 3100),
            new DiskIo("sda", 2000L * 512, 400L * 512, 77));
  }

  @Test
  void memAvailableFallsBackOnOldKernels(@TempDir Path root) {
    Fixtures.write(
        root,
        "/proc/meminfo",
        "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\n");

    assertThat(HostReader.at(root).memory().orElseThrow().availableBytes())
        .isEqualTo((100 + 50 + 200) * 1024L);
  }

  @Test
  void missingFilesReadAsAbsent(@TempDir Path root) {
    HostReader r = HostReader.at(root);

    assertThat(r.cpu()).isEmpty();
    assertThat(r.memory()).isEmpty();
    assertThat(r.disks()).isEmpty();
    assertThat(r.network()).isEmpty();
    assertThat(ProcessReader.at(root).residentBytes()).isEmpty();
  }

  @Test
  void processRssComesFromStatus() {
    // the recorded status file says VmRSS: 2160 kB
    assertThat(ProcessReader.at(Fixtures.root("host")).residentBytes()).hasValue(2160L * 1024);
  }
}
