package io.vecwatch.resources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Small readers for the text files of /proc and cgroupfs. Missing or unreadable files read as
 * empty.
 */
final class ProcFiles {
  private ProcFiles() {}

  static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The first line of a single-value file, trimmed. */
  static Optional<String> firstLine(Path file) {
    return read(file)
        .map(
            s -> {
              int nl = s.indexOf('\n');
              return (nl < 0 ? s : s.substring(0, nl)).trim();
            });
  }

  static OptionalLong readLong(Path file) {
    Optional<String> s = firstLine(file);
    if (s.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(s.get()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * A "key value" per line file ({@code memory.stat}, {@code cpu.stat}, {@code /proc/meminfo} with
   * {@code Key: value kB}). Values are the first number after the key; a trailing {@code kB}
   * multiplies by 1024.
   */
  static Map<String, Long> keyValues(Path file) {
    Map<String, Long> out = new HashMap<>();
    read(file)
        .ifPresent(
            text -> {
              for (String line : text.split("\n")) {
                String[] f = line.trim().split("[\\s:]+");
                if (f.length < 2) {
                  continue;
                }
                try {
                  long v = Long.parseLong(f[1]);
                  if (f.length > 2 && f[2].equals("kB")) {
                    v *= 1024;
                  }
                  out.put(f[0], v);
                } catch (NumberFormatException e) {
                  // not a numeric line; ignore
                }
              }
            });
    return out;
  }

  /**
   * {@code root} + an absolute path as the kernel names it ("/proc/stat"), so tests can use fixture
   * trees.
   */
  static Path under(Path root, String absolute) {
    String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    return rel.isEmpty() ? root : root.resolve(rel);
  }
}
