package io.vecwatch.loadtest;

/**
 * What the load generator itself can drive, measured against an in-process no-op target that
 * answers each query with its ground truth (so recall and latency recording run as in a real step).
 *
 * @param threads closed-loop workers used
 * @param requestsPerSecond searches per second reached
 * @param cpuMicrosPerRequest process CPU per search
 * @param requestsPerSecondPerCore 1 / CPU per search: what one core of generator drives
 */
public record GeneratorOverhead(
    int threads,
    double requestsPerSecond,
    double cpuMicrosPerRequest,
    double requestsPerSecondPerCore) {}
