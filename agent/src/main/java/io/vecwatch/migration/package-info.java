/**
 * Migration checks: two targets watched side by side while data moves from one to the other (dual
 * writes, a re-index, a move between stores). Paired queries go to both sides on one open-loop
 * schedule (two {@link io.vecwatch.probe.ProbeRunner}s sharing start and rate, each on its own
 * target's worker pool), their results are joined by schedule slot and compared ({@link
 * Agreement}); entity counts ({@link CountParity}) and sampled records ({@link RecordParity}) are
 * compared on their own schedules. {@link ReleaseGate} turns an immutable {@link MigrationSnapshot}
 * and the configured thresholds into verdicts.
 *
 * <p>Depends on target, probe and stats; nothing there depends on this package.
 */
package io.vecwatch.migration;
