package io.vecwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledTest {
  @TempDir Path dir;

  @Test
  void listsTheFilesOfOneFolderInsideAJarSortedAndFilteredBySuffix() throws Exception {
    Path jar = dir.resolve("bundle.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      for (String name :
          new String[] {
            "pack/rules/",
            "pack/rules/b.yml",
            "pack/rules/a.yml",
            "pack/rules/notes.txt",
            "pack/rules/nested/c.yml",
            "pack/other/d.yml",
            "pack/rulesx/e.yml"
          }) {
        j.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) {
          j.write(name.getBytes(StandardCharsets.UTF_8));
        }
        j.closeEntry();
      }
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(Bundled.list(loader, "pack/rules", ".yml")).containsExactly("a.yml", "b.yml");
      assertThat(Bundled.list(loader, "pack/none", ".yml")).isEmpty();
    }
  }

  @Test
  void listsTheFilesOfAFolderOnTheClassPathOutsideAJar() throws Exception {
    Files.createDirectories(dir.resolve("pack/rules"));
    Files.writeString(dir.resolve("pack/rules/z.yml"), "z");
    Files.writeString(dir.resolve("pack/rules/y.yml"), "y");
    Files.writeString(dir.resolve("pack/rules/x.md"), "x");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThat(Bundled.list(loader, "pack/rules", ".yml")).containsExactly("y.yml", "z.yml");
    }
  }
}
