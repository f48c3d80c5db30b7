package io.freshcache.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code freshcache} command. Run {@code freshcache --help} for its subcommands and {@code
 * freshcache <command> --help} for theirs.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails, 2 on a usage error (an unknown option or
 * value, a missing command); the error goes to standard error with a hint to use {@code --help}.
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
    freshcache.setParameterExceptionHandler(Main::usageError);
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
