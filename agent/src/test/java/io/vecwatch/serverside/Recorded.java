package io.vecwatch.serverside;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The real Milvus 2.3.5 recordings under src/test/resources/io/vecwatch/serverside (see its
 * README).
 */
public final class Recorded {
  private Recorded() {}

  public static String metrics() {
    return read("milvus-2.3.5-metrics.txt");
  }

  public static String systemInfo() {
    return read("milvus-2.3.5-system_info.json");
  }

  private static String read(String name) {
    try (InputStream in = Recorded.class.getResourceAsStream("/io/vecwatch/serverside/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
