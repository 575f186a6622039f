package io.vecwatch.config;

import io.vecwatch.target.registry.TargetKinds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The config fixtures under src/test/resources/config and the fixed environment the tests load them
 * with.
 */
final class Fixtures {
  /** As passed to the loader: relative to the module folder, where Maven runs tests. */
  static final Path DIR = Path.of("src/test/resources/config");

  static final String SECRET = "s3cr3t-Token-value";

  /** The environment every fixture sees: nothing from the machine running the tests. */
  static final Map<String, String> ENV =
      Map.of(
          "VW_TOKEN", SECRET,
          "VW_RATE", "7.5",
          "VW_EMPTY", "",
          "VW_DATASET", "gen",
          "VW_DIM", "32");

  private Fixtures() {}

  static ConfigLoader loader() {
    return new ConfigLoader(ENV, TargetKinds.lookup());
  }

  static Path file(String name) {
    return DIR.resolve(name);
  }

  static String absoluteDir() {
    return DIR.toAbsolutePath().normalize().toString();
  }

  static Stream<Path> named(String prefix) {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .filter(
              p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".yml"))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code # expect: ...} header lines of a fixture, each as the full line the loader must
   * report.
   */
  static List<String> expectedProblems(Path fixture) {
    try {
      return Files.readAllLines(fixture).stream()
          .filter(l -> l.startsWith("# expect: "))
          .map(
              l ->
                  fixture
                      + ": "
                      + l.substring("# expect: ".length()).replace("<dir>", absoluteDir()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
