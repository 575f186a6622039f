package io.vecwatch.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository root, for tests that check files outside the agent module (dashboards, compose,
 * rules).
 */
final class Repo {
  private Repo() {}

  static Path root() {
    String configured = System.getProperty("vecwatch.repo");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("agent"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException(
        "cannot find the repository root above " + Path.of("").toAbsolutePath());
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }
}
