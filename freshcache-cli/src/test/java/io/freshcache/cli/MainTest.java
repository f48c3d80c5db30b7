package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  /** What a command line printed and returned. */
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine freshcache = Main.commandLine();
    freshcache.setOut(new PrintWriter(out));
    freshcache.setErr(new PrintWriter(err));
    int exitCode = freshcache.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void helpListsTheSimulateCommand() {
    Run help = run("--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: freshcache").contains("simulate");
    assertThat(help.err()).isEmpty();
  }

  @Test
  void versionNamesTheToolAndTheJava() {
    Run version = run("--version");

    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("freshcache ").contains("Java");
  }

  @Test
  void noCommandIsAUsageErrorThatPointsToHelp() {
    Run bare = run();

    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).contains("simulate").contains("--help");
    assertThat(bare.out()).isEmpty();
  }

  @Test
  void anUnknownCommandIsAUsageErrorWithASuggestion() {
    Run typo = run("simulat");

    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("simulat").contains("simulate");
  }
}
