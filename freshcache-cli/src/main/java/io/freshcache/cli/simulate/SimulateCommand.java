package io.freshcache.cli.simulate;

import io.freshcache.cli.DurationConverter;
import io.freshcache.cli.RedisAddress;
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
 * {@code freshcache simulate}: replays one workload against each strategy, time-based on one
 * instance and invalidation on several, and prints what each costs and buys, as a table ({@link
 * TableReport}) or as JSON ({@link JsonReport}). With {@code --redis}, the multi-instance runs
 * connect their instances through Redis ({@link RedisTransport}). Exit code 0 on success, 1 if
 * Redis cannot be reached, 2 on bad options, among them a run too big for the heap ({@link
 * MemoryEstimate}), refused before anything is allocated.
 */
@Command(
    name = "simulate",
    sortOptions = false,
    usageHelpAutoWidth = true,
    headerHeading = "%n",
    header = "Compare caching strategies on a simulated workload.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Replays the same workload against every strategy of freshcache and prints for each its"
          + " hit ratio, database load, stale reads, errors during a database outage and read"
          + " latency.",
      "",
      "The source of truth is an in-memory H2 database with one products table of --keys rows;"
          + " a cache miss runs a real SELECT. Reads pick rows from a Zipf distribution (--skew,"
          + " row 1 the hottest). A share of the operations (--write-ratio) give a random row a"
          + " new price and the next version. A read is stale when it returns an older version"
          + " of a row than the current one at that moment.",
      "",
      "The time-based strategies run on one instance, and their writes update the database"
          + " directly, behind the cache's back. For the middle --outage share of their"
          + " operations the database is down and every query fails.",
      "",
      "The invalidation strategies run on --instances instances of an application, each with"
          + " its own caches (a CacheGroup), all attached to one in-process bus and reading the"
          + " same database. Operation i runs on instance i %% --instances; a write goes through"
          + " the strategy's write path on that instance, and its version is current once the"
          + " write returns (is acknowledged). They run without the outage. With --redis, each"
          + " instance has a Redis bus of its own instead, as separate processes would: an"
          + " invalidation reaches the other instances a little later, and a read in between"
          + " counts as stale.",
      "",
      "Time is virtual, so minutes of traffic take seconds: every operation moves the clock"
          + " forward by 1/--rate seconds, and every source load by --source-latency more. Expiry"
          + " and refresh decisions, and the load time that probabilistic refresh weighs, follow"
          + " this clock. Background reloads run on a real thread of their own, one at a time,"
          + " between two operations, so that runs repeat; write-behind's flusher alone runs on"
          + " real time. The latency"
          + " columns are real time spent in one read on this machine, measured after a short"
          + " warm-up run that is not reported.",
    },
    optionListHeading = "%nOptions:%n",
    footerHeading = "%nStrategies:%n")
public final class SimulateCommand implements Callable<Integer> {

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
          "Share of operations that give a random row a new price and the next version: in the"
              + " database, behind the cache's back, for the time-based strategies; through the"
              + " strategy's write path for the invalidation strategies (default:"
              + " ${DEFAULT-VALUE}).")
  double writeRatio = DEFAULTS.writeRatio();

  @Option(
      names = "--outage",
      paramLabel = "F",
      description =
          "Share of operations, in the middle of a time-based strategy's run, during which the"
              + " database is down; 0 disables the outage (default: ${DEFAULT-VALUE}).")
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
          "Seed of every random choice: the operations, the rows' first prices and each"
              + " strategy's jitter and probabilistic-refresh draws (a stream of its own, so a row"
              + " does not depend on which others run). The same seed gives the same counts in every"
              + " row but two kinds: write-behind's, whose flusher runs on real time, and with"
              + " --redis the invalidation rows', whose events take real time to arrive. Latencies"
              + " are real time and vary anyway (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(
      names = "--instances",
      paramLabel = "N",
      description =
          "Application instances the invalidation strategies run on, each with its own caches,"
              + " all on one in-process bus, or each on its own Redis bus with --redis (default:"
              + " ${DEFAULT-VALUE}).")
  int instances = DEFAULTS.instances();

  @Option(
      names = "--redis",
      paramLabel = "URI",
      converter = RedisAddress.Converter.class,
      description =
          "Run the invalidation strategies' instances over this Redis, e.g."
              + " redis://127.0.0.1:6379: each instance gets a RedisBus of its own (its own"
              + " connections, as separate processes), in a namespace of its own per strategy,"
              + " under keys fcsim:*, deleted at the end of each strategy. Propagation is then"
              + " asynchronous and shows in the stale reads; the report adds the measured"
              + " propagation lag. Default: one in-process bus.")
  RedisAddress redis;

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
  public static CommandLine commandLine() {
    CommandLine simulate = new CommandLine(new SimulateCommand());
    int width = simulate.getCommandSpec().usageMessage().width();
    simulate.getCommandSpec().usageMessage().footer(strategyList(width));
    return simulate;
  }

  /** The catalogue, by family, each description wrapped to {@code width} under its column. */
  static String[] strategyList(int width) {
    int labels = Strategy.catalogue().stream().mapToInt(s -> s.label().length()).max().orElse(0);
    List<String> lines = new ArrayList<>();
    lines.add("Time-based, on one instance (Expiry and Refresh settings of its cache):");
    for (TimeStrategy strategy : TimeStrategy.values()) {
      lines.addAll(entry(strategy, labels, width));
    }
    lines.add("");
    lines.add("Invalidation, on --instances instances sharing a bus (plus ttl(30s) on each):");
    for (InvalidationStrategy strategy : InvalidationStrategy.values()) {
      lines.addAll(entry(strategy, labels, width));
    }
    return lines.toArray(String[]::new);
  }

  /** {@code " label description"}, the description wrapped with a hanging indent. */
  private static List<String> entry(Strategy strategy, int labels, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line =
        new StringBuilder(String.format(Locale.ROOT, "  %-" + labels + "s ", strategy.label()));
    String indent = " ".repeat(line.length());
    for (String word : strategy.description().split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
      }
      line.append(' ').append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  @Override
  public Integer call() throws Exception {
    Workload workload = workload();
    List<Strategy> selected =
        strategies == null
            ? Strategy.catalogue()
            : List.copyOf(new LinkedHashSet<>(strategies)); // a name given twice runs once
    PrintWriter err = spec.commandLine().getErr();
    String tooBig = MemoryEstimate.of(workload, selected).refusal(Runtime.getRuntime().maxMemory());
    if (tooBig != null) {
      err.println("freshcache: " + tooBig); // one line: the help would only hide it
      err.flush();
      return 2;
    }
    RedisTransport overRedis = null;
    if (redis != null) {
      try {
        overRedis = new RedisTransport(redis);
      } catch (RuntimeException e) {
        err.println("freshcache: " + redis.unreachable(e));
        err.flush();
        return 1;
      }
    }
    try (AutoCloseable closing = overRedis == null ? () -> {} : overRedis) {
      return run(workload, selected, overRedis == null ? Transport.IN_PROCESS : overRedis);
    }
  }

  private int run(Workload workload, List<Strategy> selected, Transport transport)
      throws Exception {
    Progress progress = new Progress(spec.commandLine().getErr(), selected.size());
    List<StrategyResult> results = new ArrayList<>();
    progress.warmingUp();
    Simulator.warmUp(workload, selected, transport);
    try (Simulator simulator = new Simulator(workload, transport)) {
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
      return new Workload(
          keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed, instances);
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
