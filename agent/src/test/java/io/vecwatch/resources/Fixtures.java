package io.vecwatch.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Fixture roots under src/test/resources/io/vecwatch/resources. */
final class Fixtures {
  private Fixtures() {}

  static Path root(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/io/vecwatch/resources/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A writable copy of a fixture root, for tests that change counters between samples. */
  static Path copy(String name, Path into) {
    Path src = root(name);
    try (Stream<Path> files = Files.walk(src)) {
      files.forEach(
          p -> {
            try {
              Path dst = into.resolve(src.relativize(p).toString());
              if (Files.isDirectory(p)) {
                Files.createDirectories(dst);
              } else {
                Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return into;
  }

  static void write(Path root, String absolute, String content) {
    try {
      Path p = ProcFiles.under(root, absolute);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
