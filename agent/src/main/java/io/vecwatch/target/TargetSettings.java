package io.vecwatch.target;

/** Marker for a kind's typed, immutable settings record. */
public interface TargetSettings {}
