package io.vecwatch.rules;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands file globs like Go's {@code filepath.Glob} ({@code *}, {@code ?}, {@code [...]} in any
 * path element).
 */
public final class Globs {
  private Globs() {}

  /**
   * Files matching {@code pattern}, sorted, resolved against {@code baseDir} when relative. A
   * pattern without meta characters matches the file if it exists.
   */
  public static List<Path> expand(Path baseDir, String pattern) throws IOException {
    Path p = Path.of(pattern);
    if (!p.isAbsolute()) {
      p = baseDir.resolve(p);
    }
    p = p.normalize();
    if (!hasMeta(p.toString())) {
      return Files.exists(p) ? List.of(p) : List.of();
    }
    Path root = p.getRoot() == null ? Path.of("") : p.getRoot();
    List<Path> current = List.of(root);
    for (Path part : p) {
      String seg = part.toString();
      List<Path> next = new ArrayList<>();
      for (Path dir : current) {
        if (!hasMeta(seg)) {
          Path c = dir.resolve(seg);
          if (Files.exists(c)) {
            next.add(c);
          }
          continue;
        }
        Path listDir = dir.toString().isEmpty() ? Path.of(".") : dir;
        if (!Files.isDirectory(listDir)) {
          continue;
        }
        List<Path> matched = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(listDir, seg)) {
          for (Path c : ds) {
            matched.add(dir.resolve(c.getFileName()));
          }
        }
        matched.sort(null);
        next.addAll(matched);
      }
      current = next;
    }
    return current;
  }

  static boolean hasMeta(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }
}
