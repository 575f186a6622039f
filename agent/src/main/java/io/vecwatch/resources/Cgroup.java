package io.vecwatch.resources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cgroup this process runs in, v2 (unified) or v1, found from {@code /proc/self/cgroup} and
 * {@code /proc/self/mountinfo} under a root folder. Its {@link #sample()} reads fresh counters each
 * time.
 *
 * <pre>{@code
 * Optional<Cgroup> cg = Cgroup.detect(Path.of("/"));
 * cg.flatMap(Cgroup::sample).ifPresent(s -> ...);
 * }</pre>
 */
public sealed interface Cgroup permits CgroupV1, CgroupV2 {

  /** {@code v1} or {@code v2}. */
  String version();

  /**
   * Current counters; empty when the cgroup files cannot be read (e.g. the root cgroup of a host).
   */
  Optional<ContainerSample> sample();

  /**
   * Finds this process's cgroup. Prefers v1 when the memory controller is mounted as v1 (hybrid
   * hosts mount an empty cgroup2 beside the v1 controllers); empty when neither is mounted.
   */
  static Optional<Cgroup> detect(Path root) {
    Map<String, String> v1Paths = new HashMap<>();
    String v2Path = null;
    for (String line :
        ProcFiles.read(ProcFiles.under(root, "/proc/self/cgroup")).orElse("").split("\n")) {
      // hierarchy-id:controller,list:path
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      if (f[0].equals("0") && f[1].isEmpty()) {
        v2Path = f[2].trim();
      } else {
        for (String c : f[1].split(",")) {
          v1Paths.put(c, f[2].trim());
        }
      }
    }
    List<Mount> mounts = mounts(root);
    if (v1Paths.containsKey("memory")) {
      Optional<Path> memory = resolve(root, mounts, "cgroup", "memory", v1Paths.get("memory"));
      if (memory.isPresent()) {
        Optional<Path> cpu =
            resolve(root, mounts, "cgroup", "cpu", v1Paths.getOrDefault("cpu", "/"));
        Optional<Path> cpuacct =
            resolve(root, mounts, "cgroup", "cpuacct", v1Paths.getOrDefault("cpuacct", "/"));
        return Optional.of(new CgroupV1(memory.get(), cpu, cpuacct));
      }
    }
    if (v2Path != null) {
      Optional<Mount> m = mounts.stream().filter(x -> x.fsType.equals("cgroup2")).findFirst();
      if (m.isPresent()) {
        Path mountPoint = ProcFiles.under(root, m.get().mountPoint);
        return Optional.of(new CgroupV2(mountPoint, dirOf(mountPoint, m.get().root, v2Path)));
      }
    }
    return Optional.empty();
  }

  /** One cgroup line of mountinfo: where a hierarchy is mounted and which part of it. */
  record Mount(String root, String mountPoint, String fsType, List<String> superOptions) {}

  private static List<Mount> mounts(Path root) {
    List<Mount> out = new ArrayList<>();
    for (String line :
        ProcFiles.read(ProcFiles.under(root, "/proc/self/mountinfo")).orElse("").split("\n")) {
      // id parent major:minor root mount-point options [optional...] - fstype source super-options
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 3 || !post[0].startsWith("cgroup")) {
        continue;
      }
      out.add(new Mount(unescape(pre[3]), unescape(pre[4]), post[0], List.of(post[2].split(","))));
    }
    return out;
  }

  private static Optional<Path> resolve(
      Path root, List<Mount> mounts, String fsType, String controller, String path) {
    return mounts.stream()
        .filter(m -> m.fsType.equals(fsType) && m.superOptions.contains(controller))
        .findFirst()
        .map(m -> dirOf(ProcFiles.under(root, m.mountPoint), m.root, path));
  }

  /**
   * The folder of cgroup {@code path} inside a hierarchy mounted at {@code mountPoint} from {@code
   * mountRoot} (the JDK's rule). Inside a container with a cgroup namespace the path is "/" and
   * this is the mount point.
   */
  private static Path dirOf(Path mountPoint, String mountRoot, String path) {
    String rel;
    if (mountRoot.equals("/")) {
      rel = path;
    } else if (path.equals(mountRoot)) {
      rel = "/";
    } else if (path.startsWith(mountRoot + "/")) {
      rel = path.substring(mountRoot.length());
    } else {
      rel = "/";
    }
    Path dir = ProcFiles.under(mountPoint, rel);
    return Files.isDirectory(dir) ? dir : mountPoint;
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        try {
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException e) {
          // not an escape; keep the backslash
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
