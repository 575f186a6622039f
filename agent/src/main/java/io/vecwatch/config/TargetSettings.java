package io.vecwatch.config;

/** Marker for a kind's typed, immutable settings record. */
public interface TargetSettings {}
