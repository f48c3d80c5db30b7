package io.freshcache.cli;

import io.freshcache.cli.invalidate.InvalidateCommand;
import io.freshcache.cli.simulate.SimulateCommand;
import io.freshcache.cli.stats.StatsCommand;
import io.freshcache.cli.watch.WatchCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code freshcache} command. Run {@code freshcache --help} for its subcommands and {@code
 * freshcache <command> --help} for theirs.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails, 2 on a usage error (an unknown option or
 * value, a missing command); the error goes to standard error with a hint to use {@code --help}. A
 * command that fails, even by running out of memory, says why in one line on standard error (the
 * messages of the failure and of its causes), never with a stack trace.
 */
@Command(
    name = "freshcache",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    headerHeading = "%n",
    header = "Caching with invalidation that is correct, fast and visible.",
    synopsisHeading = "%nUsage: ",
    synopsisSubcommandLabel = "COMMAND",
    descriptionHeading = "%n",
    description = {
      "The command-line tool of freshcache, a Java caching library. Start with"
          + " 'freshcache simulate': it runs a realistic workload against each caching strategy"
          + " and shows what each one costs and buys."
    },
    optionListHeading = "%nOptions:%n",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = "Run 'freshcache COMMAND --help' for the options of a command.")
public final class Main implements Runnable {

  @Spec CommandSpec spec;

  private Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The whole command tree, ready to {@link CommandLine#execute}. */
  static CommandLine commandLine() {
    CommandLine freshcache = new CommandLine(new Main());
    freshcache.addSubcommand(SimulateCommand.commandLine());
    freshcache.addSubcommand(new InvalidateCommand());
    freshcache.addSubcommand(new WatchCommand());
    freshcache.addSubcommand(new StatsCommand());
    freshcache.setParameterExceptionHandler(Main::usageError);
    freshcache.setExecutionExceptionHandler(Main::failure);
    freshcache.setExecutionStrategy(Main::runCatchingOutOfMemory);
    return freshcache;
  }

  /** {@code freshcache} alone: a usage error that lists the commands. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command, e.g. 'simulate'.");
  }

  /** Prints the problem and a hint, not the whole help: the error stays visible. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(command.getColorScheme().errorText("freshcache: " + e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * Runs the chosen command. picocli hands a command's exceptions to {@link #failure} but lets an
   * {@link Error} through; of those, only running out of memory is the user's to fix.
   */
  private static int runCatchingOutOfMemory(ParseResult parsed) {
    try {
      return new RunLast().execute(parsed);
    } catch (OutOfMemoryError e) {
      List<CommandLine> commands = parsed.asCommandLineList();
      return outOfMemory(commands.get(commands.size() - 1));
    }
  }

  /** A command failed: one line, the messages of the failure and its causes, and exit code 1. */
  private static int failure(Exception e, CommandLine command, ParseResult parsed) {
    if (causedByOutOfMemory(e)) {
      return outOfMemory(command); // H2 and our executors wrap it in exceptions of their own
    }
    return fail(command, describe(e));
  }

  /**
   * Out of memory, the last resort after any estimate a command makes first. The memory the failed
   * allocation was for is unreachable by now, so printing a line is safe.
   */
  private static int outOfMemory(CommandLine command) {
    long heap = Runtime.getRuntime().maxMemory();
    return fail(
        command,
        String.format(
            Locale.ROOT,
            "%s ran out of memory: the heap holds %s; ask for a smaller run, or raise -Xmx"
                + " (e.g. JAVA_TOOL_OPTIONS=-Xmx%dg)",
            command.getCommandName(),
            ByteSize.text(heap),
            2 * Math.max(1, ByteSize.ceilGib(heap))));
  }

  private static int fail(CommandLine command, String message) {
    PrintWriter err = command.getErr();
    err.println(command.getColorScheme().errorText("freshcache: " + message));
    err.flush();
    return command.getCommandSpec().exitCodeOnExecutionException();
  }

  /** The failure and its causes, a few deep: enough to explain, and safe from a cycle of causes. */
  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable t = failure; t != null && causes.size() < 8; t = t.getCause()) {
      causes.add(t);
    }
    return causes;
  }

  private static boolean causedByOutOfMemory(Throwable failure) {
    for (Throwable t : causes(failure)) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  /** The failure's message and those of its causes that add something, on one line. */
  private static String describe(Throwable failure) {
    StringBuilder line = new StringBuilder();
    for (Throwable t : causes(failure)) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      message = message.strip().replaceAll("\\s*\\R\\s*", " ");
      if (line.indexOf(message) < 0) {
        line.append(line.length() == 0 ? "" : ": ").append(message);
      }
    }
    return Text.printable(line.toString());
  }

  /** The version baked into the jar at build time, and the Java running it. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties build = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          build.load(in);
        }
      }
      return new String[] {
        "freshcache " + build.getProperty("version", "(unknown version)"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ", "
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
