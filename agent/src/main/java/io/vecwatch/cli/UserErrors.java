package io.vecwatch.cli;

import io.vecwatch.config.ConfigException;
import io.vecwatch.rules.RuleLoadException;
import picocli.CommandLine;

/**
 * Turns exceptions that describe a user mistake into one line each and exit code 2; anything else
 * is a bug and keeps its stack trace.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    if (ex instanceof ConfigException ce) {
      ce.problems().forEach(cl.getErr()::println);
      return Main.EXIT_USAGE;
    }
    if (ex instanceof UserException ue
        && ue.getCause() != null
        && ue.getCause().getCause() instanceof RuleLoadException rl) {
      rl.problems()
          .forEach(cl.getErr()::println); // bad rule files: one line per problem, like a bad config
      return Main.EXIT_USAGE;
    }
    if (ex instanceof UserException ue) {
      cl.getErr().println("vecwatch: " + ue.getMessage());
      return Main.EXIT_USAGE;
    }
    throw new RuntimeException(ex);
  }
}
