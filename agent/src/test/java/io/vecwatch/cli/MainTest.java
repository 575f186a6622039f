package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
  private static final String[] ALL = {
    "run", "check-config", "groundtruth", "rules", "bench", "capacity", "help"
  };

  @Test
  void aNamedCommandRegistersOnlyItself() {
    assertThat(Main.reachable("run", "--config.file", "x.yml")).containsExactly("run");
    assertThat(Main.reachable("capacity", "--dim", "8")).containsExactly("capacity");
  }

  @Test
  void noArgumentsRunTheDemoWithoutAnySubcommand() {
    assertThat(Main.reachable()).isEmpty();
  }

  @Test
  void helpOptionsFirstAndUnknownNamesRegisterEveryCommand() {
    assertThat(Main.reachable("help")).containsExactly(ALL);
    assertThat(Main.reachable("--help")).containsExactly(ALL);
    assertThat(Main.reachable("--config.file", "x.yml")).containsExactly(ALL);
    assertThat(Main.reachable("rnu")).containsExactly(ALL);
    assertThat(Main.commandLine().getSubcommands().keySet()).containsExactly(ALL);
  }

  @Test
  void theAgentStartsEarlyOnlyWhenTheArgumentsRunIt() {
    assertThat(Main.runsTheAgent()).isTrue();
    assertThat(Main.runsTheAgent("run", "--config.file", "x.yml")).isTrue();
    assertThat(Main.runsTheAgent("run", "--help")).isFalse();
    assertThat(Main.runsTheAgent("run", "-V")).isFalse();
    assertThat(Main.runsTheAgent("check-config", "x.yml")).isFalse();
    assertThat(Main.runsTheAgent("--version")).isFalse();
  }

  @Test
  void aMistypedCommandStillListsEveryCommand() {
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "rnu");
    assertThat(exit).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString())
        .contains("vecwatch: unknown command \"rnu\"")
        .contains("Commands: run, check-config, groundtruth, rules, bench, capacity, help");
  }

  @Test
  void helpOfOneCommandIsItsOwn() {
    StringWriter out = new StringWriter();
    int exit =
        Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "run", "--help");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Usage: vecwatch run").contains("--web.listen-address");
  }
}
