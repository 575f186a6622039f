package io.vecwatch.agent;

import io.vecwatch.config.DatasetConfig;
import io.vecwatch.dataset.Dataset;

/**
 * Loads (or generates) the dataset a config entry describes. May block for long; called off the
 * event loop.
 */
@FunctionalInterface
public interface DatasetProvider {
  /** Throws with a message fit for the user (naming the file and what is wrong) when it cannot. */
  Dataset load(DatasetConfig config) throws Exception;
}
