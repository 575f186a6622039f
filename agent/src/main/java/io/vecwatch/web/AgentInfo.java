package io.vecwatch.web;

import java.util.Optional;

/**
 * What the status page says about the agent itself.
 *
 * @param version the build's version
 * @param startedMillis when the agent started (epoch millis)
 * @param configFile the config file, or a description of the embedded config
 * @param demoFault the page's demo fault button, when the config enables it
 */
public record AgentInfo(
    String version, long startedMillis, String configFile, Optional<DemoFault> demoFault) {}
