package io.vecwatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: to be implemented. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "TODO")
final class RulesCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    System.err.println("not implemented yet");
    return 1;
  }
}
