package io.freshcache.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/** Runs {@code freshcache} command lines in the test's JVM and captures what they print. */
public final class Cli {

  private Cli() {}

  /** What a command line printed and returned. */
  public record Run(int exitCode, String out, String err) {}

  /** A command line running on a thread of its own. */
  public static final class Running {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exitCode;

    private Running(String... args) {
      CommandLine freshcache = Main.commandLine();
      freshcache.setOut(new PrintWriter(out));
      freshcache.setErr(new PrintWriter(err));
      exitCode =
          CompletableFuture.supplyAsync(
              () -> freshcache.execute(args), r -> new Thread(r, "freshcache " + args[0]).start());
    }

    /** Standard error so far (commands flush every line). */
    public String err() {
      return err.toString();
    }

    /**
     * Waits for the command to end. The bound only keeps a broken test from hanging the build; the
     * commands under test stop on their own (--count, --timeout).
     */
    public Run finish() throws InterruptedException, ExecutionException, TimeoutException {
      int code = exitCode.get(2, TimeUnit.MINUTES);
      return new Run(code, out.toString(), err.toString());
    }
  }

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine freshcache = Main.commandLine();
    freshcache.setOut(new PrintWriter(out));
    freshcache.setErr(new PrintWriter(err));
    int exitCode = freshcache.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  public static Running start(String... args) {
    return new Running(args);
  }
}
