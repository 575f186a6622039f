package io.vecwatch.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one step measured, immutable.
 *
 * @param offeredRps the arrival rate asked for (open loop), NaN otherwise
 * @param achievedRps searches started in the measured window per second
 * @param requests searches measured (warm-up excluded)
 * @param errorRatio failed searches / requests
 * @param timeoutRatio searches that took longer than the timeout / requests (their latency is in
 *     the percentiles)
 * @param recall mean recall@K per K over successful searches, computed by the agent's recall code
 * @param params search parameters this step used (empty: the target's configured ones)
 * @param clientLimits why the load generator, not the target, may have limited this step (empty: it
 *     did not)
 * @param clientCpu the generator process's CPU use over the step, in cores
 * @param overheadRatio the generator's own time between a search's answer and the next send, over
 *     the workers' total time (closed loop)
 * @param holds whether the step held the latency and error objective
 * @param complete false when the step was cut short (interrupt, budget, deadline)
 */
public record StepResult(
    Mode mode,
    int concurrency,
    double offeredRps,
    double achievedRps,
    double p50Seconds,
    double p95Seconds,
    double p99Seconds,
    double p999Seconds,
    long requests,
    double errorRatio,
    double timeoutRatio,
    SortedMap<Integer, Double> recall,
    Map<String, Integer> params,
    double durationSeconds,
    List<String> clientLimits,
    double clientCpu,
    double overheadRatio,
    boolean holds,
    boolean complete) {

  public StepResult {
    recall = Collections.unmodifiableSortedMap(new TreeMap<>(recall));
    params = Map.copyOf(params);
    clientLimits = List.copyOf(clientLimits);
  }

  StepResult withLimit(String limit) {
    if (clientLimits.contains(limit)) {
      return this;
    }
    List<String> l = new ArrayList<>(clientLimits);
    l.add(limit);
    return new StepResult(
        mode,
        concurrency,
        offeredRps,
        achievedRps,
        p50Seconds,
        p95Seconds,
        p99Seconds,
        p999Seconds,
        requests,
        errorRatio,
        timeoutRatio,
        recall,
        params,
        durationSeconds,
        l,
        clientCpu,
        overheadRatio,
        holds,
        complete);
  }

  StepResult withHolds(boolean h) {
    return new StepResult(
        mode,
        concurrency,
        offeredRps,
        achievedRps,
        p50Seconds,
        p95Seconds,
        p99Seconds,
        p999Seconds,
        requests,
        errorRatio,
        timeoutRatio,
        recall,
        params,
        durationSeconds,
        clientLimits,
        clientCpu,
        overheadRatio,
        h,
        complete);
  }
}
