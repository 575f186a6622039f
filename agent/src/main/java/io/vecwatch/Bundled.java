package io.vecwatch;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Files the build copies into the jar from the repository: the default rule pack ({@code
 * rules/*.yml} under {@value #RULES}) and the documentation ({@code docs/*.md} under {@value
 * #DOCS}). Works from the jar and from a classes folder alike.
 */
public final class Bundled {
  public static final String RULES = "io/vecwatch/bundled/rules";
  public static final String DOCS = "io/vecwatch/bundled/docs";

  private Bundled() {}

  /** The file names in bundled folder {@code dir} that end with {@code suffix}, sorted. */
  public static List<String> list(String dir, String suffix) throws IOException {
    return list(Bundled.class.getClassLoader(), dir, suffix);
  }

  static List<String> list(ClassLoader loader, String dir, String suffix) throws IOException {
    URL url = loader.getResource(dir);
    if (url == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try {
      if (url.getProtocol().equals("jar")) {
        // The jar's own entry list, not a zip file system: that would keep an index of every
        // entry of the (large) jar on the heap for as long as the process runs.
        JarURLConnection c = (JarURLConnection) url.openConnection();
        c.setUseCaches(false);
        try (JarFile jar = c.getJarFile()) {
          String prefix = dir + "/";
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String n = entries.nextElement().getName();
            if (n.startsWith(prefix)
                && n.indexOf('/', prefix.length()) < 0
                && n.endsWith(suffix)
                && n.length() > prefix.length()) {
              names.add(n.substring(prefix.length()));
            }
          }
        }
      } else {
        collect(Path.of(url.toURI()), suffix, names);
      }
    } catch (URISyntaxException e) {
      throw new IOException("bundled folder " + dir + ": " + e.getMessage(), e);
    }
    names.sort(null);
    return names;
  }

  private static void collect(Path dir, String suffix, List<String> out) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString().replace("/", "");
        if (n.endsWith(suffix)) {
          out.add(n);
        }
      }
    }
  }

  /** The text of bundled file {@code dir/name}, empty when there is none. */
  public static Optional<String> read(String dir, String name) throws IOException {
    try (InputStream in = Bundled.class.getClassLoader().getResourceAsStream(dir + "/" + name)) {
      return in == null
          ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Copies the bundled rule files into a fresh temporary folder (deleted when the JVM exits) and
   * returns a {@code rule_files} glob matching them, or empty when the build bundled none.
   */
  public static Optional<String> extractRules() throws IOException {
    List<String> names = list(RULES, ".yml");
    if (names.isEmpty()) {
      return Optional.empty();
    }
    Path dir = Files.createTempDirectory("vecwatch-rules-");
    dir.toFile().deleteOnExit();
    for (String n : names) {
      Path f = dir.resolve(n);
      Files.writeString(f, read(RULES, n).orElseThrow(), StandardCharsets.UTF_8);
      f.toFile().deleteOnExit();
    }
    return Optional.of(dir.toAbsolutePath().resolve("*.yml").toString());
  }
}
