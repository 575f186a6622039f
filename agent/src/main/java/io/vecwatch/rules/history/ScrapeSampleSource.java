package io.vecwatch.rules.history;

import io.vecwatch.promtext.Sample;
import io.vecwatch.promtext.TextFormatParser;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Samples parsed from a Prometheus text exposition (e.g. {@code PrometheusMeterRegistry::scrape}),
 * so rules see the very series names Prometheus would scrape. Series the engine writes itself
 * ({@code ALERTS}, {@code ALERTS_FOR_STATE}) are skipped: they are appended at evaluation time
 * instead.
 */
public final class ScrapeSampleSource implements SampleSource {
  private static final Set<String> OWN = Set.of("ALERTS", "ALERTS_FOR_STATE");
  private final Supplier<String> scrape;

  private ScrapeSampleSource(Supplier<String> scrape) {
    this.scrape = scrape;
  }

  public static ScrapeSampleSource of(Supplier<String> scrape) {
    return new ScrapeSampleSource(scrape);
  }

  @Override
  public List<Sample> collect() {
    return TextFormatParser.parse(scrape.get()).stream()
        .filter(s -> !OWN.contains(s.labels().metricName()))
        .toList();
  }
}
