package io.vecwatch.loadtest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The result of one {@code vecwatch bench load} run, complete or cut short; immutable. Written as
 * {@code report.json} by {@link ReportJson} and {@code report.html} by {@link ReportHtml}.
 *
 * @param capacityRps the highest open-loop rate whose P99 and error ratio held the objective; null
 *     when none held or the open loop did not run
 * @param capacityPrecision the first rate that broke was at most this share above {@code
 *     capacityRps}; null when no rate broke (then {@code capacityCapped})
 * @param capacityCapped true when every rate up to {@code --max-rate} held: the capacity is at
 *     least that
 * @param parameter the swept search parameter, or null
 * @param recommendedParams the sweep's setting with the highest QPS that met the whole objective;
 *     null when none did
 * @param pareto the sweep's settings on the recall-vs-QPS Pareto front, fastest first
 * @param notes what was skipped and why
 * @param kneeConcurrency the smallest closed-loop concurrency reaching 90 % of the best closed-loop
 *     QPS
 */
public record LoadReport(
    String target,
    String kind,
    String dataset,
    Instant startedAt,
    double durationSeconds,
    Objective objective,
    LoadSettings settings,
    List<StepResult> steps,
    Double capacityRps,
    Double capacityPrecision,
    boolean capacityCapped,
    String parameter,
    Map<String, Integer> recommendedParams,
    List<Map<String, Integer>> pareto,
    Integer kneeConcurrency,
    Double maxClosedRps,
    GeneratorOverhead generator,
    boolean complete,
    String stopReason,
    List<String> notes) {

  public LoadReport {
    steps = List.copyOf(steps);
    pareto = List.copyOf(pareto);
    notes = List.copyOf(notes);
  }

  public List<StepResult> steps(Mode mode) {
    return steps.stream().filter(s -> s.mode() == mode).toList();
  }
}
