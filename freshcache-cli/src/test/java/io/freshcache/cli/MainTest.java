package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {

  /** What a command line printed and returned. */
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    return run(Main.commandLine(), args);
  }

  static Run run(CommandLine freshcache, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
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

  /** A command that fails with {@code failure}, as a bug or the machine would make one fail. */
  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    private final Throwable failure;

    Failing(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Error error) {
        throw error;
      }
      throw (Exception) failure;
    }
  }

  private static Run runFailing(Throwable failure) {
    CommandLine freshcache = Main.commandLine();
    freshcache.addSubcommand(new Failing(failure));
    return run(freshcache, "fail");
  }

  @Test
  void runningOutOfMemoryEndsInOneLineAndExitCode1() {
    Run oom = runFailing(new OutOfMemoryError("Java heap space"));

    assertThat(oom.exitCode()).isEqualTo(1);
    assertThat(oom.out()).isEmpty();
    assertThat(oom.err().lines()).hasSize(1);
    assertThat(oom.err())
        .startsWith("freshcache: ")
        .contains("out of memory", "-Xmx")
        .doesNotContain("Exception", "OutOfMemoryError", "at io.");
  }

  @Test
  void aCommandThatFailsEndsInOneLineAndExitCode1() {
    Run failed = runFailing(new IllegalStateException("the disk is full"));

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.err().lines()).hasSize(1);
    assertThat(failed.err()).startsWith("freshcache: ").contains("the disk is full");
    assertThat(failed.err()).doesNotContain("at io.", "\tat ");
  }
}
