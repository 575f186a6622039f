package io.vecwatch.agent;

/** The agent could not start for a reason the user can fix (e.g. the listen address is taken). */
public final class AgentStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public AgentStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
