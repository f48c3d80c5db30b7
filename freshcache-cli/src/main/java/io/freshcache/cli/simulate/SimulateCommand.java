package io.freshcache.cli.simulate;

import io.freshcache.cli.DurationConverter;
import io.freshcache.cli.RedisAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshcache simulate}: replays a workload against caching strategies and prints what each
 * costs and buys. Two workloads: {@code domain} (the default: users, products, inventory, reports
 * and derived views, compared by {@link Scenario}, run by {@link DomainSimulation}, printed by
 * {@link DomainTable}, {@link DomainJson} or {@link HtmlReport}) and {@code products} (one table,
 * compared by {@link Strategy}, run by {@link Simulator}, printed by {@link TableReport} or {@link
 * JsonReport}). Exit code 0 on success, 1 if Redis or the database cannot be reached, 2 on bad
 * options or a malformed trace.
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
      "Replays the same workload against every caching scenario and prints, per scenario and per"
          + " kind of data, the hit ratio, source reads and writes per second, get latency, stale"
          + " reads and the worst staleness, invalidation messages, the hot key's loads and the"
          + " memory held, then recommends a strategy for each kind of data.",
      "",
      "The domain workload (the default): users in regions with a profile, preferences and"
          + " permissions; products in categories with details, a price and a stock per warehouse;"
          + " analytics reports; category product lists (a query over prices); and a feed,"
          + " recommendations and a dashboard per user, computed from the others. The rows live in"
          + " an embedded H2 database (or --jdbc). Reads are Zipf-skewed within each kind (--skew),"
          + " each kind changes at its own rate (--write-rate), and bulk events come at intervals:"
          + " a category repricing, a warehouse batch update, a region migration, regenerated"
          + " reports, a user's deletion (their profile, preferences and permissions go) and a"
          + " product's discontinuation (its details, price and stocks go, and it leaves its"
          + " category's list); a deleted row stays deleted, and later writes of it are skipped."
          + " Writes publish the domain events (user.updated, user.deleted, product.price_changed,"
          + " product.discontinued, inventory.stock_changed, category.products_updated,"
          + " inventory.batch_updated, region.users_migrated) on the instances' bus. --instances"
          + " instances share the bus; operation i runs on instance i %% instances.",
      "",
      "A read is stale when it returns an older version than the source had committed --tolerance"
          + " before the read began; derived views are judged by every row they were made from."
          + " Time is virtual: every operation happens at its moment of a virtual clock, so minutes"
          + " of traffic take seconds, and a source load adds --source-latency (a report 25 times"
          + " that) to the read's latency without holding up the other instances. With --redis the"
          + " instances' bus and shared tier are on Redis, and the replay is paced to real time, so"
          + " that virtual time and the real propagation of events agree.",
      "",
      "--workload products is the smaller, older workload: one products table, the strategies"
          + " listed last below, time-based ones on one instance with a database outage,"
          + " invalidation ones on --instances instances; its options are --keys, --ops,"
          + " --write-ratio, --outage and --rate (operations per second). Its stale reads are"
          + " judged the same way, with --tolerance; with --redis the invalidation strategies'"
          + " replay is paced to real time too.",
      "",
      "--scenarios cdc runs alone, on PostgreSQL and in real time: every write goes straight to the"
          + " database with plain JDBC, with no application invalidation at all, and the same"
          + " seeded operations run with TTL only (10s), then with change capture from the"
          + " database's logical replication stream keeping the caches fresh; it prints each"
          + " one's stale reads, also those stale beyond --tolerance (default 250ms), and the"
          + " commit -> applied lag. Its options are --jdbc (a PostgreSQL with wal_level ="
          + " logical; without it a private cluster is started from the installed server"
          + " binaries, /usr/lib/postgresql/<version>/bin or the directory in the system property"
          + " freshcache.postgres.bin, and removed afterwards), --duration (10s), --rate"
          + " (operations per second, 1000), --write-ratio (0.05), --keys (1000), --skew,"
          + " --instances (3), --tolerance, --seed and --json.",
    },
    optionListHeading = "%nOptions:%n",
    footerHeading = "%n")
public final class SimulateCommand implements Callable<Integer> {

  private static final Workload DEFAULTS = Workload.defaults();

  @Spec CommandSpec spec;

  @Option(
      names = "--workload",
      paramLabel = "NAME",
      description =
          "domain (the default: the whole domain, compared by scenario) or products (one table,"
              + " compared by strategy).")
  String workloadName = "domain";

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "Comma-separated scenarios to run, in order (default: all, listed below), or cdc alone.")
  List<String> scenarios;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Virtual time the domain workload lasts, e.g. 30s, 2m (default: 20s; 10s with --redis,"
              + " which replays in real time).")
  Duration duration;

  @Option(
      names = "--write-rate",
      paramLabel = "ENTITY=N",
      split = ",",
      description =
          "Single-key writes per second of an entity, e.g. price=50,profile=1 (defaults: price 20,"
              + " inventory 10, profile 0.5, preferences 0.3, product 0.2, permissions 0.1).")
  Map<String, Double> writeRates = new LinkedHashMap<>();

  @Option(
      names = "--category-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Interval of a category repricing; 0 turns it off (default: half the duration, 10s by default).")
  Duration categoryEvery;

  @Option(
      names = "--warehouse-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Interval of a warehouse batch update; 0 turns it off (default: two thirds of the duration, 13.3s by default).")
  Duration warehouseEvery;

  @Option(
      names = "--region-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Interval of a region migration; 0 turns it off (default: three quarters of the duration, 15s by default).")
  Duration regionEvery;

  @Option(
      names = "--reports-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Interval of the reports' regeneration; 0 turns it off (default: four fifths of the duration, 16s by default).")
  Duration reportsEvery;

  @Option(
      names = "--user-deletion-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Interval of a user's deletion (user.deleted); 0 turns it off (default: two fifths of the duration, 8s by default).")
  Duration userDeletionEvery;

  @Option(
      names = "--discontinuation-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Interval of a product's discontinuation (product.discontinued); 0 turns it off (default: three fifths of the duration, 12s by default).")
  Duration discontinuationEvery;

  @Option(
      names = "--tolerance",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How old a newer version may be before a read that missed it counts as stale, on either"
              + " workload (default: 0; 5ms with --redis, the propagation a healthy fleet on one"
              + " machine keeps under).")
  Duration tolerance;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Replay a recorded access log instead of drawing operations: CSV lines"
              + " time,operation,entity,key[,version] (seconds; read, write or event; an entity, or"
              + " for an event category, warehouse, region, reports, user-deletion or"
              + " discontinuation, and the one it touches). A sample ships as"
              + " freshcache-cli/examples/trace.csv.")
  Path trace;

  @Option(
      names = "--jdbc",
      paramLabel = "URL",
      description =
          "Keep the domain workload's rows in this database instead of an embedded H2, e.g."
              + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres; the tables go into a schema"
              + " of their own (fcsim_*), dropped at the end.")
  String jdbc;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Also write the results as one self-contained HTML page (charts inline, nothing"
              + " fetched), for either workload.")
  Path report;

  @Option(
      names = "--keys",
      paramLabel = "N",
      description = "products workload: rows in the table, ids 1..N (default: ${DEFAULT-VALUE}).")
  int keys = DEFAULTS.keys();

  @Option(
      names = "--ops",
      paramLabel = "N",
      description =
          "products workload: operations per strategy, reads and writes (default: 200,000;"
              + " 3,000 with --redis, whose invalidation strategies replay in real time).")
  Integer ops;

  /** The products workload's operations with --redis, by default: 3 s at the default rate. */
  static final int REDIS_OPS = 3_000;

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
          "products workload: share of operations that give a random row a new price and the"
              + " next version: in the"
              + " database, behind the cache's back, for the time-based strategies; through the"
              + " strategy's write path for the invalidation strategies (default:"
              + " ${DEFAULT-VALUE}).")
  double writeRatio = DEFAULTS.writeRatio();

  @Option(
      names = "--outage",
      paramLabel = "F",
      description =
          "products workload: share of operations, in the middle of a time-based strategy's run,"
              + " during which the"
              + " database is down; 0 disables the outage (default: ${DEFAULT-VALUE}).")
  double outage = DEFAULTS.outage();

  @Option(
      names = "--rate",
      paramLabel = "OPS",
      description =
          "Reads per second of virtual time, every instance together (domain, default: 1000, 250"
              + " with --redis, which replays in real time); for the products workload, operations"
              + " per second (default: 1000).")
  Integer rate;

  @Option(
      names = "--source-latency",
      paramLabel = "DURATION",
      defaultValue = "2ms",
      converter = DurationConverter.class,
      description =
          "Virtual time one database query takes, e.g. 2ms, 500us, 0: on the domain workload"
              + " added to the latency of the read that waited for it (a report's query takes 25"
              + " times as long); on the products workload added to the clock on every source load"
              + " (default: ${DEFAULT-VALUE}).")
  Duration sourceLatency;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of every random choice: the operations, the rows' first prices and each"
              + " strategy's jitter and probabilistic-refresh draws (a stream of its own, so a row"
              + " does not depend on which others run). The same seed gives the same counts in every"
              + " scenario of the domain workload, and in every row of the products workload but"
              + " write-behind's, whose flusher runs on real time; with --redis, whose events take"
              + " real time to arrive, neither repeats exactly. Latencies are real time and vary"
              + " anyway (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(
      names = "--instances",
      paramLabel = "N",
      description =
          "Application instances, each with its own caches, all on one in-process bus, or each"
              + " on its own Redis bus with --redis (default: 4; 3 for the products workload, whose"
              + " time-based strategies always run on one).")
  Integer instances;

  @Option(
      names = "--redis",
      paramLabel = "URI",
      converter = RedisAddress.Converter.class,
      description =
          "Run the instances over this Redis, e.g. redis://127.0.0.1:6379; for the domain"
              + " workload each instance gets a RedisBus and a RedisSharedTier of its own, the"
              + " replay is paced to real time and keys are deleted after each scenario. For the"
              + " products workload's invalidation strategies: each instance gets a RedisBus of"
              + " its own (its own connections, as separate processes), in a namespace of its own"
              + " per strategy, under keys fcsim:*, deleted at the end of each strategy, and their"
              + " replay is paced to real time as well, so that an event's real propagation lag is"
              + " its lag in virtual time; the report adds the measured lag. Default: one"
              + " in-process bus.")
  RedisAddress redis;

  @Option(
      names = "--strategies",
      split = ",",
      paramLabel = "NAME",
      description =
          "domain: one scenario of your own, as ENTITY=STRATEGY assignments, e.g."
              + " price=write-through,inventory=tags,*=event ('*' for every entity not named;"
              + " the rest ttl). products: comma-separated strategies to run, in order (default:"
              + " all, listed below).")
  List<String> strategies;

  @Option(
      names = "--json",
      description =
          "Print the results as JSON on standard output instead of a table (and no progress"
              + " bar).")
  boolean json;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /** This command, with the scenario and strategy catalogues as the footer of its help. */
  public static CommandLine commandLine() {
    CommandLine simulate = new CommandLine(new SimulateCommand());
    int width = simulate.getCommandSpec().usageMessage().width();
    List<String> footer = new ArrayList<>();
    footer.add("Scenarios of the domain workload (--scenarios):");
    int labels = 0;
    for (Scenario scenario : Scenario.catalogue()) {
      labels = Math.max(labels, scenario.name().length());
    }
    for (EntityStrategy strategy : EntityStrategy.values()) {
      labels = Math.max(labels, strategy.label().length());
    }
    for (Strategy strategy : Strategy.catalogue()) {
      labels = Math.max(labels, strategy.label().length());
    }
    for (Scenario scenario : Scenario.catalogue()) {
      footer.addAll(entry(scenario.name(), scenario.description(), labels, width));
    }
    footer.addAll(
        entry(
            CDC,
            "alone, on PostgreSQL: writes straight to the database, TTL only against change"
                + " capture",
            labels,
            width));
    footer.add("");
    footer.add(
        "Strategies per entity (--strategies ENTITY=STRATEGY; entities: " + Entity.labels() + "):");
    for (EntityStrategy strategy : EntityStrategy.values()) {
      footer.addAll(entry(strategy.label(), strategy.description(), labels, width));
    }
    footer.add("");
    footer.addAll(List.of(strategyList(width, labels)));
    simulate.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    return simulate;
  }

  /** The products workload's catalogue, by family, each description wrapped under its column. */
  static String[] strategyList(int width) {
    int labels = Strategy.catalogue().stream().mapToInt(s -> s.label().length()).max().orElse(0);
    return strategyList(width, labels);
  }

  private static String[] strategyList(int width, int labels) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Time-based, on one instance (--workload products; Expiry and Refresh settings of its cache):");
    for (TimeStrategy strategy : TimeStrategy.values()) {
      lines.addAll(entry(strategy.label(), strategy.description(), labels, width));
    }
    lines.add("");
    lines.add(
        "Invalidation, on --instances instances sharing a bus (--workload products; plus ttl(30s) on each):");
    for (InvalidationStrategy strategy : InvalidationStrategy.values()) {
      lines.addAll(entry(strategy.label(), strategy.description(), labels, width));
    }
    return lines.toArray(String[]::new);
  }

  /** {@code " label description"}, the description wrapped with a hanging indent. */
  private static List<String> entry(String label, String description, int labels, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line =
        new StringBuilder(String.format(Locale.ROOT, "  %-" + labels + "s ", label));
    String indent = " ".repeat(line.length());
    for (String word : description.replace("%", "%%").split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
      }
      line.append(' ').append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  private static final List<String> PRODUCTS_ONLY =
      List.of("--keys", "--ops", "--write-ratio", "--outage");

  /** The domain workload's bulk events' intervals. */
  private static final List<String> BULK_EVERY =
      List.of(
          "--category-every",
          "--warehouse-every",
          "--region-every",
          "--reports-every",
          "--user-deletion-every",
          "--discontinuation-every");

  private static final List<String> DOMAIN_ONLY =
      concat(List.of("--scenarios", "--duration", "--write-rate", "--trace", "--jdbc"), BULK_EVERY);

  private boolean given(String option) {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    return parsed != null && parsed.hasMatchedOption(option);
  }

  /** The scenario that runs on PostgreSQL's change capture, apart from the catalogue. */
  static final String CDC = "cdc";

  /** Options the cdc scenario has no use for. */
  private static final List<String> NOT_FOR_CDC =
      concat(
          List.of(
              "--workload",
              "--strategies",
              "--trace",
              "--report",
              "--redis",
              "--ops",
              "--outage",
              "--source-latency",
              "--write-rate"),
          BULK_EVERY);

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> both = new ArrayList<>(a);
    both.addAll(b);
    return List.copyOf(both);
  }

  /** Refuses the first of {@code options} given: "OPTION" + {@code why}. */
  private void refuseAny(List<String> options, String why) {
    for (String option : options) {
      if (given(option)) {
        throw new ParameterException(spec.commandLine(), option + why);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    if (scenarios != null && scenarios.stream().anyMatch(n -> n.strip().equalsIgnoreCase(CDC))) {
      return callCdc();
    }
    String name = workloadName.strip().toLowerCase(Locale.ROOT);
    if (name.equals("products")) {
      refuseAny(DOMAIN_ONLY, " applies to the domain workload only; leave out --workload products");
      return callProducts();
    }
    if (!name.equals("domain")) {
      throw new ParameterException(
          spec.commandLine(),
          "unknown workload '" + workloadName + "'; valid workloads are: domain, products");
    }
    refuseAny(
        PRODUCTS_ONLY,
        " applies to --workload products only; the domain workload uses --duration, --rate and"
            + " --write-rate");
    return callDomain();
  }

  private Integer callProducts() throws Exception {
    Workload workload = workload();
    List<Strategy> selected = new ArrayList<>();
    if (strategies == null) {
      selected.addAll(Strategy.catalogue());
    } else {
      for (String label : strategies) {
        try {
          Strategy strategy = Strategy.named(label);
          if (!selected.contains(strategy)) {
            selected.add(strategy); // a name given twice runs once
          }
        } catch (IllegalArgumentException e) {
          throw new ParameterException(
              spec.commandLine(), "Invalid value for option '--strategies': " + e.getMessage());
        }
      }
    }
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
    Progress progress = new Progress(spec.commandLine().getErr(), selected.size(), !json);
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
      if (report != null) {
        return writeReport(
            HtmlReport.renderProducts(workload, simulator.trace(), results, reproduce()));
      }
    }
    return 0;
  }

  /** Writes the HTML report and, under the table, says where; 1 if it cannot be written. */
  private int writeReport(String html) {
    try {
      java.nio.file.Files.writeString(report, html);
    } catch (java.io.IOException e) {
      return fail(
          spec.commandLine().getErr(),
          "cannot write the report " + report + ": " + e.getMessage(),
          1);
    }
    if (!json) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("Report written to " + report);
      out.flush();
    }
    return 0;
  }

  /** The products workload the options describe. */
  Workload workload() {
    boolean paced = redis != null;
    Duration grace = tolerance != null ? tolerance : paced ? Duration.ofMillis(5) : Duration.ZERO;
    try {
      return new Workload(
          keys,
          ops != null ? ops : paced ? REDIS_OPS : DEFAULTS.ops(),
          rate == null ? DEFAULTS.rate() : rate,
          sourceLatency,
          skew,
          writeRatio,
          outage,
          seed,
          instances == null ? DEFAULTS.instances() : instances,
          grace.toNanos(),
          paced);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The scenarios the options pick, in order. */
  List<Scenario> scenarios() {
    List<Scenario> picked = new ArrayList<>();
    try {
      if (scenarios != null) {
        for (String name : scenarios) {
          Scenario scenario = Scenario.named(name);
          if (!picked.contains(scenario)) {
            picked.add(scenario);
          }
        }
      }
      if (strategies != null) {
        picked.add(Scenario.custom(strategies));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    return picked.isEmpty() ? Scenario.catalogue() : picked;
  }

  /** The domain workload the options describe, on {@code domain}. */
  DomainWorkload domainWorkload(Domain domain, Long traceNanos) {
    try {
      Map<Entity, Double> rates = DomainWorkload.defaultWriteRates();
      for (Map.Entry<String, Double> rate : writeRates.entrySet()) {
        rates.put(Entity.named(rate.getKey()), rate.getValue());
      }
      Map<Bulk, Duration> every = new java.util.EnumMap<>(Bulk.class);
      boolean paced = redis != null;
      Duration length = duration != null ? duration : Duration.ofSeconds(paced ? 10 : 20);
      // By default the bulk events come at the same points of any run, so a short one has them,
      // early enough that reads follow them.
      every.put(Bulk.CATEGORY, categoryEvery != null ? categoryEvery : length.dividedBy(2));
      every.put(
          Bulk.WAREHOUSE,
          warehouseEvery != null ? warehouseEvery : length.multipliedBy(2).dividedBy(3));
      every.put(
          Bulk.REGION, regionEvery != null ? regionEvery : length.multipliedBy(3).dividedBy(4));
      every.put(
          Bulk.REPORTS, reportsEvery != null ? reportsEvery : length.multipliedBy(4).dividedBy(5));
      every.put(
          Bulk.USER_DELETION,
          userDeletionEvery != null ? userDeletionEvery : length.multipliedBy(2).dividedBy(5));
      every.put(
          Bulk.DISCONTINUATION,
          discontinuationEvery != null
              ? discontinuationEvery
              : length.multipliedBy(3).dividedBy(5));
      long nanos = traceNanos == null ? length.toNanos() : Math.max(1_000_000_000L, traceNanos + 1);
      Duration grace = tolerance != null ? tolerance : paced ? Duration.ofMillis(5) : Duration.ZERO;
      return new DomainWorkload(
          domain,
          nanos,
          rate == null ? (paced ? 250 : 1_000) : rate,
          skew,
          seed,
          instances == null ? 4 : instances,
          sourceLatency,
          rates,
          every,
          grace.toNanos(),
          paced);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private Integer callDomain() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<Scenario> picked = scenarios();
    if (trace != null && duration != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--duration and --trace do not go together: a trace lasts as long as its last line");
    }
    Domain domain = Domain.defaults();
    DomainOps ops = null;
    Long traceNanos = null;
    if (trace != null) {
      try {
        TraceFile.Parsed parsed = TraceFile.read(trace, domain);
        domain = parsed.domain();
        traceNanos = parsed.lastNanos();
        ops = DomainOps.recorded(parsed.ops());
      } catch (TraceFile.Malformed e) {
        return fail(err, e.getMessage(), 2);
      } catch (java.io.IOException e) {
        return fail(err, "cannot read the trace " + trace + ": " + e.getMessage(), 2);
      }
    }
    DomainWorkload workload = domainWorkload(domain, traceNanos);
    if (ops == null) {
      ops = DomainOps.generated(workload);
    }
    if (jdbc != null) {
      try (java.sql.Connection probe = java.sql.DriverManager.getConnection(jdbc)) {
        probe.isValid(2);
      } catch (java.sql.SQLException e) {
        return fail(
            err,
            "cannot reach the database at "
                + redacted(jdbc)
                + ": "
                + oneLine(e.getMessage())
                + "; check the URL and that the server runs, or leave --jdbc out for the embedded"
                + " H2 database",
            1);
      }
    }
    RedisFleet fleet = null;
    if (redis != null) {
      try {
        fleet = new RedisFleet(redis);
      } catch (RuntimeException e) {
        return fail(err, redis.unreachable(e), 1);
      }
    }
    DomainRunInfo info =
        new DomainRunInfo(
            workload,
            trace == null ? null : trace.toString(),
            jdbc == null ? "embedded H2" : redacted(jdbc),
            fleet == null ? null : fleet.where(),
            reproduce());
    List<ScenarioResult> results;
    Bar bar = new Bar(err, !json && System.console() != null);
    try (AutoCloseable closing = fleet == null ? () -> {} : fleet) {
      DomainSimulation simulation =
          new DomainSimulation(
              workload, ops, jdbc, fleet == null ? DomainReplay.Fleet.inProcess() : fleet);
      results = simulation.run(picked, bar);
    } finally {
      bar.done();
    }
    List<Recommendation> recs = Recommendation.of(results);
    PrintWriter out = spec.commandLine().getOut();
    out.print(
        json ? DomainJson.render(info, results, recs) : DomainTable.render(info, results, recs));
    out.flush();
    if (report != null) {
      return writeReport(HtmlReport.render(info, results, recs));
    }
    return 0;
  }

  /** {@code --scenarios cdc}: TTL only against change capture, on PostgreSQL, in real time. */
  private Integer callCdc() throws Exception {
    if (scenarios.size() != 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--scenarios cdc runs alone (it needs PostgreSQL and runs in real time): leave out "
              + String.join(
                  ",", scenarios.stream().filter(n -> !n.strip().equalsIgnoreCase(CDC)).toList()));
    }
    refuseAny(
        NOT_FOR_CDC,
        " does not apply to --scenarios cdc (it takes --jdbc, --duration, --rate, --write-ratio,"
            + " --keys, --skew, --instances, --tolerance, --seed, --json)");
    CdcSimulation.Settings settings;
    try {
      settings =
          new CdcSimulation.Settings(
              given("--keys") ? keys : 1_000,
              skew,
              seed,
              instances == null ? 3 : instances,
              rate == null ? 1_000 : rate,
              given("--write-ratio") ? writeRatio : 0.05,
              duration != null ? duration : Duration.ofSeconds(10),
              Duration.ofSeconds(10),
              tolerance != null ? tolerance : Duration.ofMillis(250));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    // The capture's first start on a new slot logs its loss as an error, and its leadership: here
    // both are expected, and the table says what happened. Unless the user chose a level.
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.io.freshcache.jdbc.pg", "off");
    CdcDatabase database;
    try {
      database = CdcDatabase.open(jdbc, err, !json);
    } catch (CdcDatabase.Unavailable e) {
      return fail(err, e.getMessage(), 1);
    }
    List<CdcSimulation.Result> results;
    try (database) {
      if (!json) {
        err.println(
            "running ttl-only, then cdc, "
                + Format.duration(settings.duration().toNanos())
                + " each in real time");
        err.flush();
      }
      results = new CdcSimulation(database.url(), settings).run();
    } catch (java.sql.SQLException | io.freshcache.jdbc.pg.ChangeCaptureException e) {
      return fail(err, "the change-capture scenario failed: " + e.getMessage(), 1);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(
        json
            ? CdcReport.json(settings, database.describe(), results)
            : CdcReport.table(settings, database.describe(), results));
    out.flush();
    return 0;
  }

  private static int fail(PrintWriter err, String message, int code) {
    err.println("freshcache: " + oneLine(message));
    err.flush();
    return code;
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** A JDBC URL without its password. */
  static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("//([^/:@]*):[^/@]*@", "//$1:***@");
  }

  /** The command line that repeats this run: the arguments given, the seed added if left out. */
  String reproduce() {
    List<String> line = new ArrayList<>(List.of("freshcache", "simulate"));
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    List<String> args = parsed == null ? List.of() : parsed.originalArgs();
    int from = args.indexOf("simulate") + 1; // what came before is the top-level command's
    for (int i = from; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--redis") && redis != null && i + 1 < args.size()) {
        line.add(arg);
        line.add(redis.toString());
        i++;
      } else if (arg.startsWith("--redis=") && redis != null) {
        line.add("--redis=" + redis);
      } else {
        line.add(arg.contains("jdbc:") ? redacted(arg) : arg);
      }
    }
    if (!given("--seed")) {
      line.add("--seed");
      line.add(Long.toString(seed));
    }
    StringBuilder s = new StringBuilder();
    for (String word : line) {
      s.append(s.length() == 0 ? "" : " ")
          .append(
              word.matches("[A-Za-z0-9_@%+=:,./*-]+")
                  ? word
                  : "'" + word.replace("'", "'\\''") + "'");
    }
    return s.toString();
  }

  /** A progress bar on standard error, redrawn in place, only when a person is watching. */
  private static final class Bar implements DomainSimulation.Progress {
    private final PrintWriter err;
    private final boolean shown;
    private String last = "";

    Bar(PrintWriter err, boolean shown) {
      this.err = err;
      this.shown = shown;
    }

    @Override
    public void update(int scenario, int scenarios, String name, double done) {
      if (!shown) {
        return;
      }
      int width = 30;
      int filled = (int) Math.round(done * width);
      String line =
          String.format(
              Locale.ROOT,
              "[%s%s] %3d%%  scenario %d/%d: %s",
              "#".repeat(filled),
              ".".repeat(width - filled),
              Math.round(done * 100),
              scenario,
              scenarios,
              name);
      if (!line.equals(last)) {
        err.print("\r\033[K" + line);
        err.flush();
        last = line;
      }
    }

    void done() {
      if (shown && !last.isEmpty()) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }

  /** One status line on standard error while strategies run, only when a person is watching. */
  private static final class Progress {
    private final PrintWriter err;
    private final int total;
    private final boolean shown;
    private int started;

    Progress(PrintWriter err, int total, boolean wanted) {
      this.err = err;
      this.total = total;
      this.shown = wanted && System.console() != null;
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
