package io.vecwatch.serverside;

import io.vecwatch.promtext.Sample;
import java.util.List;

/**
 * How one database kind's metrics page maps to what vecwatch reads from it: requests, failures,
 * successful searches, the search latency histogram and the serving process's CPU and memory. A
 * target kind offers one through its kind hooks; the scraper itself knows no database.
 */
@FunctionalInterface
public interface ServerMetricsMapping {
  /** Picks this kind's series out of one parsed page, summed over nodes. */
  ServerScrape select(List<Sample> page);
}
