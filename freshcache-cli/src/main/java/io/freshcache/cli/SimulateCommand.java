package io.freshcache.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code freshcache simulate}: replays one workload against each time-based strategy and prints
 * what each costs and buys, as a table ({@link TableReport}) or as JSON ({@link JsonReport}). Exit
 * code 0 on success, 2 on bad options.
 */
@Command(
    name = "simulate",
    sortOptions = false,
    usageHelpAutoWidth = true,
    headerHeading = "%n",
    header = "Compare caching strategies on a simulated read workload.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Replays the same workload against every time-based strategy of freshcache's in-process"
          + " cache, and prints for each its hit ratio, database load, stale reads, errors during"
          + " a database outage and read latency.",
      "",
      "The source of truth is an in-memory H2 database with one products table of --keys rows;"
          + " a cache miss runs a real SELECT. Reads pick rows from a Zipf distribution (--skew,"
          + " row 1 the hottest). A share of the operations (--write-ratio) update a random row"
          + " directly in the database, behind the cache's back, so a cache can return an older"
          + " version of a row than the database holds: a stale read. For the middle --outage"
          + " share of the operations the database is down and every query fails.",
      "",
      "Time is virtual, so minutes of traffic take seconds: every operation moves the clock"
          + " forward by 1/--rate seconds, and every source load by --source-latency more. Expiry"
          + " and refresh decisions, and the load time that probabilistic refresh weighs, follow"
          + " this clock. Background reloads run on a real 2-thread pool, between two operations,"
          + " so that runs repeat. The latency columns are real time spent in one read on this"
          + " machine, measured after a short warm-up run that is not reported.",
    },
    optionListHeading = "%nOptions:%n",
    footerHeading = "%nStrategies (Expiry and Refresh settings of the in-process cache):%n")
final class SimulateCommand implements Callable<Integer> {

  /** Parses {@code --strategies} names. */
  static final class StrategyConverter implements ITypeConverter<Strategy> {
    @Override
    public Strategy convert(String name) {
      try {
        return Strategy.named(name);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  private static final Workload DEFAULTS = Workload.defaults();

  @Spec CommandSpec spec;

  @Option(
      names = "--keys",
      paramLabel = "N",
      description = "Rows in the products table, ids 1..N (default: ${DEFAULT-VALUE}).")
  int keys = DEFAULTS.keys();

  @Option(
      names = "--ops",
      paramLabel = "N",
      description = "Operations per strategy, reads and writes (default: ${DEFAULT-VALUE}).")
  int ops = DEFAULTS.ops();

  @Option(
      names = "--skew",
      paramLabel = "S",
      description =
          "Zipf exponent of the read distribution: 0 is uniform, 1 is typical web traffic,"
              + " higher is hotter (default: ${DEFAULT-VALUE}).")
  double skew = DEFAULTS.skew();

  @Option(
      names = "--write-ratio",
      paramLabel = "R",
      description =
          "Share of operations that update a random row in the database, behind the cache's"
              + " back: price changes, version + 1 (default: ${DEFAULT-VALUE}).")
  double writeRatio = DEFAULTS.writeRatio();

  @Option(
      names = "--outage",
      paramLabel = "F",
      description =
          "Share of operations, in the middle of the run, during which the database is down;"
              + " 0 disables the outage (default: ${DEFAULT-VALUE}).")
  double outage = DEFAULTS.outage();

  @Option(
      names = "--rate",
      paramLabel = "OPS",
      description =
          "Operations per second of virtual time: each operation moves the clock by 1/OPS"
              + " seconds (default: ${DEFAULT-VALUE}).")
  int rate = DEFAULTS.rate();

  @Option(
      names = "--source-latency",
      paramLabel = "DURATION",
      defaultValue = "2ms",
      converter = DurationConverter.class,
      description =
          "Virtual time one database query takes, added to the clock on every source load,"
              + " e.g. 2ms, 500us, 0 (default: ${DEFAULT-VALUE}).")
  Duration sourceLatency;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of every random choice; the same seed replays the same operations"
              + " (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(
      names = "--strategies",
      split = ",",
      paramLabel = "NAME",
      converter = StrategyConverter.class,
      description = "Comma-separated strategies to run, in order (default: all, listed below).")
  List<Strategy> strategies;

  @Option(
      names = "--json",
      description = "Print the results as JSON on standard output instead of a table.")
  boolean json;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /** This command, with the strategy catalogue as the footer of its help. */
  static CommandLine commandLine() {
    CommandLine simulate = new CommandLine(new SimulateCommand());
    simulate.getCommandSpec().usageMessage().footer(strategyList());
    return simulate;
  }

  private static String[] strategyList() {
    int width = Strategy.catalogue().stream().mapToInt(s -> s.label().length()).max().orElse(0);
    List<String> lines = new ArrayList<>();
    for (Strategy strategy : Strategy.catalogue()) {
      lines.add(
          String.format(
              Locale.ROOT, "  %-" + width + "s  %s", strategy.label(), strategy.description()));
    }
    return lines.toArray(String[]::new);
  }

  @Override
  public Integer call() throws Exception {
    Workload workload = workload();
    List<Strategy> selected =
        strategies == null
            ? Strategy.catalogue()
            : List.copyOf(new LinkedHashSet<>(strategies)); // a name given twice runs once
    Progress progress = new Progress(spec.commandLine().getErr(), selected.size());
    List<StrategyResult> results = new ArrayList<>();
    progress.warmingUp();
    Simulator.warmUp(workload, selected);
    try (Simulator simulator = new Simulator(workload)) {
      for (Strategy strategy : selected) {
        progress.starting(strategy);
        results.add(simulator.run(strategy));
      }
      progress.done();
      PrintWriter out = spec.commandLine().getOut();
      out.print(
          json
              ? JsonReport.render(workload, simulator.trace(), results)
              : TableReport.render(workload, simulator.trace(), results));
      out.flush();
    }
    return 0;
  }

  /** The workload the options describe. */
  Workload workload() {
    try {
      return new Workload(keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** One status line on standard error while strategies run, only when a person is watching. */
  private static final class Progress {
    private final PrintWriter err;
    private final int total;
    private final boolean shown = System.console() != null;
    private int started;

    Progress(PrintWriter err, int total) {
      this.err = err;
      this.total = total;
    }

    void warmingUp() {
      if (shown) {
        err.print("\r\033[Kwarming up...");
        err.flush();
      }
    }

    void starting(Strategy strategy) {
      started++;
      if (shown) {
        err.printf(
            Locale.ROOT, "\r\033[Ksimulating %s (%d/%d)...", strategy.label(), started, total);
        err.flush();
      }
    }

    void done() {
      if (shown) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }
}
