package io.vecwatch.target.milvus;

import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.serverside.Buckets;
import io.vecwatch.serverside.ServerMetricsMapping;
import io.vecwatch.serverside.ServerScrape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Picks vecwatch's series out of a Milvus {@code :9091/metrics} page (2.3–2.5 names):
 *
 * <ul>
 *   <li>{@code milvus_proxy_req_count{function_name, status}}: requests ({@code status="total"})
 *       and failures ({@code status="fail"}) by function, and successful searches ({@code
 *       function_name="Search"} or {@code "HybridSearch"}, {@code status="success"}), summed over
 *       nodes;
 *   <li>{@code milvus_proxy_sq_latency_bucket{query_type="search", le}} (milliseconds), summed over
 *       nodes and, on 2.4+, databases and collections;
 *   <li>{@code process_cpu_seconds_total}, {@code process_resident_memory_bytes} of the process
 *       serving the page (the whole standalone server, or the proxy in a cluster).
 * </ul>
 */
public final class MilvusMetrics implements ServerMetricsMapping {
  /** The mapping; it holds no state. */
  public static final MilvusMetrics INSTANCE = new MilvusMetrics();

  private MilvusMetrics() {}

  @Override
  public ServerScrape select(List<Sample> page) {
    Map<String, Double> requests = new HashMap<>();
    Map<String, Double> failures = new HashMap<>();
    double searchSuccesses = Double.NaN;
    TreeMap<Double, Double> search = new TreeMap<>();
    double searchSum = Double.NaN;
    double cpu = Double.NaN;
    double rss = Double.NaN;
    for (Sample s : page) {
      Labels l = s.labels();
      switch (l.metricName()) {
        case "milvus_proxy_req_count" -> {
          String fn = l.get("function_name");
          switch (l.get("status")) {
            case "total" -> requests.merge(fn, s.value(), Double::sum);
            case "fail" -> failures.merge(fn, s.value(), Double::sum);
            case "success" -> {
              if (fn.equals("Search") || fn.equals("HybridSearch")) {
                searchSuccesses = (Double.isNaN(searchSuccesses) ? 0 : searchSuccesses) + s.value();
              }
            }
            default -> {}
          }
        }
        case "milvus_proxy_sq_latency_bucket" -> {
          if (l.get("query_type").equals("search")) {
            try {
              String le = l.get("le");
              double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
              search.merge(bound, s.value(), Double::sum);
            } catch (NumberFormatException e) {
              // a bucket without a readable bound cannot be placed; leave it out
            }
          }
        }
        case "milvus_proxy_sq_latency_sum" -> {
          if (l.get("query_type").equals("search")) {
            searchSum = (Double.isNaN(searchSum) ? 0 : searchSum) + s.value();
          }
        }
        case "process_cpu_seconds_total" -> cpu = s.value();
        case "process_resident_memory_bytes" -> rss = s.value();
        default -> {}
      }
    }
    double[] bounds = new double[search.size()];
    double[] counts = new double[search.size()];
    int i = 0;
    for (Map.Entry<Double, Double> e : search.entrySet()) {
      bounds[i] = e.getKey();
      counts[i++] = e.getValue();
    }
    return new ServerScrape(
        requests,
        failures,
        searchSuccesses,
        new Buckets(bounds, counts),
        searchSum,
        Double.isNaN(cpu) ? OptionalDouble.empty() : OptionalDouble.of(cpu),
        Double.isNaN(rss) ? OptionalDouble.empty() : OptionalDouble.of(rss));
  }
}
