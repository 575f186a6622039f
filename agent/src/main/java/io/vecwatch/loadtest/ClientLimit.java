package io.vecwatch.loadtest;

/**
 * Why the load generator, not the target, may have limited a step (values of {@code
 * client_limits}).
 */
public final class ClientLimit {
  /** The generator's process used at least 90 % of the machine's cores. */
  public static final String CPU_SATURATED = "client_cpu_saturated";

  /**
   * The generator's own work between answer and next send was more than 10 % of the workers' time.
   */
  public static final String OVERHEAD = "client_overhead";

  /** More than 1 % of arrivals found every worker busy (open loop): raise the worker count. */
  public static final String WORKERS_BUSY = "workers_busy";

  /** More than 1 % of arrivals were sent over 1 ms late because a worker thread woke late. */
  public static final String SCHEDULE_LAG = "schedule_lag";

  /** The step's rate was at least half of what the generator drives against a no-op target. */
  public static final String NEAR_GENERATOR_LIMIT = "near_generator_limit";

  private ClientLimit() {}
}
