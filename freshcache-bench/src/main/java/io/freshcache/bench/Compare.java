package io.freshcache.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole in-process comparison in one command: runs freshcache's hit and its peers (raw
 * Caffeine, Caffeine with {@code expireAfterWrite}, Redisson's {@code RLocalCachedMap}, JetCache's
 * two-level cache) in rounds, each round every benchmark once in its own fork, so that drift of a
 * busy machine falls on freshcache and its peer alike; reports the median of the rounds, each row
 * with its ratio and target; then propagation against raw pub/sub on a private redis-server ({@link
 * PropagationHarness}) and memory per entry ({@link MemoryFootprint}); and rewrites the tables
 * between the {@code compare} markers of {@code BENCHMARKS.md}.
 *
 * <pre>
 * java -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.Compare [--full]
 *     [--sections hit,propagation,memory] [--file BENCHMARKS.md]
 * </pre>
 *
 * <p>Quick mode (the default): 2 rounds, 1 warm-up and 2 measured one-second iterations per
 * benchmark, under 10 minutes on 2 cores. {@code --full}: 5 rounds, 3 warm-ups and 5 iterations.
 * With {@code --sections}, only the sections run are rewritten: each section stands between markers
 * of its own inside the block ({@code <!-- compare:hit -->} ... {@code <!-- /compare:hit -->}), and
 * the others keep what an earlier run wrote.
 */
public final class Compare {

  static final String BEGIN = "<!-- compare:begin -->";
  static final String END = "<!-- compare:end -->";

  /** One benchmark method at one setting: class, method, threads, key distribution. */
  record Bench(String type, String method, int threads, String distribution) {
    String label() {
      return type + "." + method + " (" + threads + "t, " + distribution + ")";
    }
  }

  /** A row: freshcache's figure against a peer's, and the ratio it should reach. */
  record Row(String path, Bench freshcache, Bench peer, double target) {}

  private final boolean full;

  /** Which parts run: {@code hit} (the JMH rows), {@code propagation}, {@code memory}. */
  private final Set<String> sections;

  private final Map<Bench, List<Double>> scores = new LinkedHashMap<>();
  private final Map<Bench, List<Double>> allocations = new LinkedHashMap<>();
  private final LoadSampler load = new LoadSampler();
  private final java.util.Set<Bench> failed = new java.util.HashSet<>();

  /** What each section run wrote, in the order of {@link #SECTIONS_IN_ORDER}. */
  private final Map<String, String> parts = new LinkedHashMap<>();

  /**
   * The Redis every benchmark that needs one uses: {@code -Dfreshcache.redis.uri}, else a
   * redis-server of the comparison's own, so that no other client's traffic enters the figures and
   * the comparison disturbs nobody's tests on the shared server.
   */
  private String redisUri;

  private Compare(boolean full, Set<String> sections) {
    this.full = full;
    this.sections = sections;
  }

  static final List<String> SECTIONS_IN_ORDER = List.of("hit", "propagation", "memory");
  static final Set<String> SECTIONS = Set.copyOf(SECTIONS_IN_ORDER);

  public static void main(String[] args) throws Exception {
    boolean full = false;
    Set<String> sections = SECTIONS;
    Path file = Path.of("BENCHMARKS.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--full" -> full = true;
        case "--file" -> {
          if (i + 1 == args.length) {
            fail("--file needs a path, e.g. --file BENCHMARKS.md");
          }
          file = Path.of(args[++i]);
        }
        case "--sections" -> {
          if (i + 1 == args.length) {
            fail("--sections needs a list, e.g. --sections hit,propagation,memory");
          }
          sections = Set.of(args[++i].split(","));
          if (!SECTIONS.containsAll(sections)) {
            fail("--sections takes hit, propagation and memory, got " + args[i]);
          }
        }
        default ->
            fail(
                "unknown option '"
                    + args[i]
                    + "'; the options are --full, --sections LIST and --file PATH");
      }
    }
    if (!Files.isRegularFile(file)) {
      fail(file + " not found: run from the project's root, or give --file PATH");
    }
    String document = Files.readString(file, StandardCharsets.UTF_8);
    if (!document.contains(BEGIN) || !document.contains(END)) {
      fail(file + " has no " + BEGIN + " ... " + END + " markers to write the table between");
    }
    Compare compare = new Compare(full, sections);
    String table = compare.run();
    document = Files.readString(file, StandardCharsets.UTF_8); // as it is now, after the run
    if (!document.contains(BEGIN) || !document.contains(END)) {
      fail(file + " lost its markers during the run; the table is:\n" + table);
    }
    Files.writeString(file, written(document, compare.parts), StandardCharsets.UTF_8);
    System.out.println(table);
    System.out.println("Written to " + file + ".");
  }

  /**
   * The document with the sections run put in: each between its own markers if the block already
   * has them, else the whole block rewritten from the sections run, in their order.
   */
  static String written(String document, Map<String, String> parts) {
    int from = document.indexOf(BEGIN) + BEGIN.length();
    int to = document.indexOf(END);
    String block = document.substring(from, to);
    boolean spliceable = true;
    for (String section : parts.keySet()) {
      spliceable &= block.contains(open(section)) && block.contains(close(section));
    }
    if (spliceable) {
      for (Map.Entry<String, String> part : parts.entrySet()) {
        int at = block.indexOf(open(part.getKey()));
        int end = block.indexOf(close(part.getKey())) + close(part.getKey()).length();
        block =
            block.substring(0, at) + wrapped(part.getKey(), part.getValue()) + block.substring(end);
      }
    } else {
      // No markers of its own for some section run: a run of every section rewrites the block;
      // a run of some keeps what stands there and adds them after it.
      StringBuilder whole =
          new StringBuilder(parts.keySet().containsAll(SECTIONS) ? "\n" : block.stripTrailing());
      for (String section : SECTIONS_IN_ORDER) {
        if (parts.containsKey(section)) {
          whole.append(whole.length() > 1 ? "\n" : "").append(wrapped(section, parts.get(section)));
        }
      }
      block = whole.append('\n').toString();
    }
    return document.substring(0, from) + block + document.substring(to);
  }

  private static String wrapped(String section, String text) {
    return open(section) + "\n" + text + close(section);
  }

  private static String open(String section) {
    return "<!-- compare:" + section + " -->";
  }

  private static String close(String section) {
    return "<!-- /compare:" + section + " -->";
  }

  private static void fail(String message) {
    System.err.println("compare: " + message);
    System.exit(2);
  }

  /**
   * Every row of the table; {@code full}: with the floor's diagnostic rows too, which quick mode
   * leaves out to stay under ten minutes here (they carry no target).
   */
  static List<Row> rows(boolean full) {
    List<Row> rows = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      for (String keys : new String[] {"uniform", "zipf"}) {
        Bench get = new Bench("HitBenchmark", "freshcache_get", threads, keys);
        rows.add(
            new Row(
                "hit vs Caffeine with expireAfterWrite",
                get,
                new Bench("HitBenchmark", "caffeine_expireAfterWrite", threads, keys),
                0.8));
        rows.add(
            new Row(
                "hit vs raw Caffeine getIfPresent",
                get,
                new Bench("HitBenchmark", "caffeine_getIfPresent", threads, keys),
                0.5));
      }
    }
    for (String keys : new String[] {"uniform", "zipf"}) {
      rows.add(
          new Row(
              "hit, 2 threads vs 1",
              new Bench("HitBenchmark", "freshcache_get", 2, keys),
              new Bench("HitBenchmark", "freshcache_get", 1, keys),
              1.6));
    }
    if (full) {
      rows.addAll(floorRows());
    }
    rows.addAll(featureAndPeerRows());
    return rows;
  }

  /**
   * What any hit that judges freshness per entry with one clock read can reach (no target: the
   * yardstick that says how much of the gap to raw Caffeine is freshcache's own).
   */
  private static List<Row> floorRows() {
    List<Row> rows = new ArrayList<>();
    Bench floor = new Bench("HitFloorBenchmark", "caffeine_holderClockRead", 1, "uniform");
    rows.add(
        new Row(
            "floor: a value held with its deadline, one clock read, vs raw Caffeine",
            floor,
            new Bench("HitFloorBenchmark", "caffeine_getIfPresent", 1, "uniform"),
            Double.NaN));
    rows.add(
        new Row(
            "floor: raw Caffeine plus one clock read, vs raw Caffeine",
            new Bench("HitFloorBenchmark", "caffeine_clockRead", 1, "uniform"),
            new Bench("HitFloorBenchmark", "caffeine_getIfPresent", 1, "uniform"),
            Double.NaN));
    rows.add(
        new Row(
            "hit vs that floor",
            new Bench("HitFloorBenchmark", "freshcache_get", 1, "uniform"),
            floor,
            Double.NaN));
    return rows;
  }

  /** What each feature costs a hit, the peers' hits and the shared tier's. */
  private static List<Row> featureAndPeerRows() {
    List<Row> rows = new ArrayList<>();
    Bench plain = new Bench("FeatureHitBenchmark", "freshcache_plain", 1, "uniform");
    for (String feature : new String[] {"tags", "sliding", "adaptive", "group"}) {
      rows.add(
          new Row(
              "hit with " + feature + " vs the plain hit",
              new Bench("FeatureHitBenchmark", "freshcache_" + feature, 1, "uniform"),
              plain,
              0.7));
    }
    for (int threads : new int[] {1, 2}) {
      Bench get = new Bench("PeerHitBenchmark", "freshcache_get", threads, "uniform");
      rows.add(
          new Row(
              "hit vs Redisson RLocalCachedMap (100,000 keys)",
              get,
              new Bench("PeerHitBenchmark", "redisson_localCachedMap_get", threads, "uniform"),
              3.0));
      rows.add(
          new Row(
              "hit vs JetCache two-level (100,000 keys)",
              get,
              new Bench("PeerHitBenchmark", "jetcache_twoLevel_get", threads, "uniform"),
              1.0));
      rows.add(
          new Row(
              "hit vs Caffeine with expireAfterWrite (100,000 keys)",
              get,
              new Bench("PeerHitBenchmark", "caffeine_expireAfterWrite", threads, "uniform"),
              0.8));
    }
    for (int threads : new int[] {1, 4}) {
      rows.add(
          new Row(
              "shared-tier hit (local miss, 1 KiB) vs Lettuce GET",
              new Bench("SharedHitBenchmark", "freshcache_sharedHit", threads, "random"),
              new Bench("SharedHitBenchmark", "lettuce_get", threads, "random"),
              0.9));
      rows.add(
          new Row(
              "shared-tier hit, async view vs Lettuce async GET",
              new Bench("SharedHitBenchmark", "freshcache_sharedHitAsync", threads, "random"),
              new Bench("SharedHitBenchmark", "lettuce_getAsync", threads, "random"),
              0.9));
    }
    return rows;
  }

  private String run() throws RunnerException {
    List<Row> rows = rows(full);
    List<Bench> benches = new ArrayList<>();
    for (Row row : rows) {
      for (Bench bench : List.of(row.freshcache(), row.peer())) {
        if (!benches.contains(bench)) {
          benches.add(bench);
        }
      }
    }
    int rounds = full ? 5 : 2;
    long started = System.nanoTime();
    io.freshcache.bench.fleet.PrivateRedisServer own = null;
    redisUri = System.getProperty("freshcache.redis.uri");
    if (redisUri == null) {
      try {
        own =
            new io.freshcache.bench.fleet.PrivateRedisServer(
                redisServer(), Files.createTempDirectory("freshcache-compare"));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "could not start "
                + redisServer()
                + " for the comparison ("
                + e.getMessage()
                + "); install redis-server, point -Dfreshcache.redis.server=PATH at one, or give"
                + " -Dfreshcache.redis.uri=redis://HOST:PORT",
            e);
      }
      redisUri = own.uri();
    }
    try {
      return runAll(rows, benches, rounds, started);
    } finally {
      if (own != null) {
        try {
          own.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private String runAll(List<Row> rows, List<Bench> benches, int rounds, long started)
      throws RunnerException {
    load.start();
    for (int round = 1; round <= (sections.contains("hit") ? rounds : 0); round++) {
      // Each round runs every benchmark once, in its own fork; the order alternates between
      // rounds, so that neither freshcache nor a peer always runs first on a warming machine.
      List<Bench> order = new ArrayList<>(benches);
      if (round % 2 == 0) {
        java.util.Collections.reverse(order);
      }
      for (Bench bench : order) {
        System.err.printf(Locale.ROOT, "compare: round %d/%d: %s%n", round, rounds, bench.label());
        try {
          record(bench, runOne(bench));
        } catch (RunnerException e) {
          // One broken benchmark must not cost the others' figures: its rows say it failed.
          failed.add(bench);
          System.err.printf(Locale.ROOT, "compare: %s failed: %s%n", bench.label(), e.getMessage());
        }
      }
    }
    String propagation = sections.contains("propagation") ? propagation() : "";
    String memory = sections.contains("memory") ? memory() : "";
    load.stop();
    long minutes = TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - started);
    if (sections.contains("hit")) {
      parts.put("hit", table(rows, rounds, minutes));
    }
    if (sections.contains("propagation")) {
      parts.put("propagation", propagation);
    }
    if (sections.contains("memory")) {
      parts.put("memory", memory);
    }
    return String.join("", parts.values());
  }

  /**
   * Propagation to 3 and 8 instances against raw pub/sub, by {@link PropagationHarness} on the
   * comparison's Redis (its own, unless told otherwise: a shared one carries other clients' traffic
   * and commands): the pooled p50 of the rounds, and what each kind costs Redis and this JVM per
   * event.
   */
  private String propagation() {
    int rounds = full ? 3 : 2;
    System.err.printf(Locale.ROOT, "compare: propagation, %d rounds of each kind%n", rounds);
    PropagationHarness.Outcome outcome;
    try {
      HarnessOptions options =
          HarnessOptions.parse(
              "--redis",
              redisUri,
              "--instances",
              "3,8",
              "--rounds",
              Integer.toString(rounds),
              "--events",
              full ? "1000" : "600",
              "--warmup",
              "200",
              "--burst",
              "0");
      outcome = PropagationHarness.measure(options, System.err);
    } catch (Exception e) {
      return "\nPropagation: not measured: " + e + "\n";
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nPropagation on a private Redis (`PropagationHarness`: %d rounds of each kind,"
                + " alternating, every receiver pooled; µs from publish to received by a plain"
                + " subscriber or applied by freshcache; CPU per event summed over the round;"
                + " publisher and receivers share one JVM, and the receiver row counts the CPU of"
                + " the threads each receiver started — its connections, event loops and"
                + " readers — per receiver, the rest of the JVM in the last row)%s:%n%n",
            rounds,
            outcome.ok() ? "" : " **a round missed deliveries or left keys behind: see the log**"));
    out.append("| path | instances | freshcache | raw pub/sub | ratio | target | holds |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (int instances : new int[] {3, 8}) {
      Lags raw = new Lags();
      Lags fresh = new Lags();
      double[] redisCpu = new double[2];
      double[] jvmCpu = new double[2];
      double[] receiverCpu = new double[2];
      double[] publisherCpu = new double[2];
      long[] events = new long[2];
      for (RoundResult r : outcome.rounds()) {
        if (r.instances() != instances) {
          continue;
        }
        int k = r.kind().equals("raw") ? 0 : 1;
        (k == 0 ? raw : fresh).add(r.lags());
        events[k] += r.expected() / r.instances();
        jvmCpu[k] += r.usage().jvmCpuSeconds();
        receiverCpu[k] += r.usage().threads().of(ThreadCpu.RECEIVERS) / r.instances();
        publisherCpu[k] += r.usage().threads().of(ThreadCpu.PUBLISHER);
        if (r.usage().redis() != null) {
          redisCpu[k] += r.usage().redis().cpuSeconds();
        }
      }
      out.append(atMost("propagation p50 (µs)", instances, fresh.micros(50), raw.micros(50), 1.3));
      out.append(atMost("propagation p99 (µs)", instances, fresh.micros(99), raw.micros(99), 1.5));
      out.append(perEvent("Redis CPU per event (µs)", instances, redisCpu, events));
      out.append(
          perEvent("receiver CPU per event, each receiver (µs)", instances, receiverCpu, events));
      out.append(diagnostic("publisher CPU per event (µs)", instances, publisherCpu, events));
      out.append(
          diagnostic(
              "whole JVM CPU per event, everything counted (µs)", instances, jvmCpu, events));
    }
    return out.toString();
  }

  /** A CPU row: {@code seconds[1]} (freshcache) against {@code seconds[0]} (raw), per event. */
  private static String perEvent(String path, int instances, double[] seconds, long[] events) {
    return atMost(path, instances, 1e6 * seconds[1] / events[1], 1e6 * seconds[0] / events[0], 1.5);
  }

  /** A CPU row without a target, per event like {@link #perEvent}: where the rest went. */
  private static String diagnostic(String path, int instances, double[] seconds, long[] events) {
    double mine = 1e6 * seconds[1] / events[1];
    double theirs = 1e6 * seconds[0] / events[0];
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.0f | %.0f | %.2f× | – | (diagnostic) |%n",
        path,
        instances,
        mine,
        theirs,
        mine / theirs);
  }

  private static String atMost(
      String path, int instances, double mine, double theirs, double target) {
    double ratio = mine / theirs;
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.0f | %.0f | %.2f× | ≤ %.1f× | %s |%n",
        path,
        instances,
        mine,
        theirs,
        ratio,
        target,
        ratio <= target ? "yes" : "**no**");
  }

  /** The redis-server to start: {@code -Dfreshcache.redis.server=PATH}, else Debian's. */
  private static String redisServer() {
    return System.getProperty("freshcache.redis.server", "/usr/bin/redis-server");
  }

  /** Memory per entry ({@link MemoryFootprint}) with 1,000,000 entries, in this JVM. */
  private String memory() {
    System.err.println("compare: memory per entry");
    MemoryFootprint.Footprint footprint;
    try {
      footprint = MemoryFootprint.measure(1_000_000, System.err);
    } catch (RuntimeException | OutOfMemoryError e) {
      return "\nMemory per entry: not measured: " + e + "\n";
    }
    double caffeine = footprint.caffeine().bytes();
    double held = footprint.keysAndValues();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nMemory per entry (`MemoryFootprint`, 1,000,000 String keys and values of %.0f B a"
                + " pair): the heap after a full GC with the cache filled, less the keys and values"
                + " alone; the target is judged on the whole retained heap (the keys and values"
                + " counted), the overhead's own ratio beside it:%n%n",
            held));
    out.append(
        "| cache | B/entry beyond keys and values | × Caffeine's | retained × Caffeine's |"
            + " target | holds |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (MemoryFootprint.Measured m : footprint.caches()) {
      double retained = (m.bytes() + held) / (caffeine + held);
      boolean plain = m == footprint.caches().get(1);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.2f× | %.2f× | %s | %s |%n",
              m.label(),
              m.bytes(),
              m.bytes() / caffeine,
              retained,
              plain ? "≤ 1.5×" : "–",
              plain
                  ? (retained <= 1.5 ? "yes" : "**no**")
                  : m == footprint.caffeine() ? "(the yardstick)" : "(how it grows)"));
    }
    return out.toString();
  }

  private Collection<RunResult> runOne(Bench bench) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("io.freshcache.bench." + bench.type() + "." + bench.method() + "$")
            .threads(bench.threads())
            .forks(1)
            .warmupIterations(full ? 3 : 1)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(full ? 5 : 2)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true);
    if (Set.of("HitBenchmark", "FeatureHitBenchmark", "PeerHitBenchmark", "HitFloorBenchmark")
        .contains(bench.type())) {
      options.param("distribution", bench.distribution());
    }
    // The benchmarks that need Redis read it in their own fork: hand the choice on.
    options.jvmArgsAppend("-Dfreshcache.redis.uri=" + redisUri);
    return new Runner(options.build()).run();
  }

  private void record(Bench bench, Collection<RunResult> results) {
    for (RunResult result : results) {
      scores
          .computeIfAbsent(bench, b -> new ArrayList<>())
          .add(result.getPrimaryResult().getScore());
      for (Map.Entry<String, Result> secondary : result.getSecondaryResults().entrySet()) {
        if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
          allocations
              .computeIfAbsent(bench, b -> new ArrayList<>())
              .add(secondary.getValue().getScore());
        }
      }
    }
  }

  private String table(List<Row> rows, int rounds, long minutes) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Written by `java -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.Compare%s`"
                + " on %s, %s mode: %d rounds (each benchmark once per round, in its own fork; the"
                + " order alternates), %s; medians of the rounds. Took %d min.%n%n",
            full ? " --full" : "",
            LocalDate.now(),
            full ? "full" : "quick",
            rounds,
            full
                ? "3 warm-up and 5 measured 1 s iterations"
                : "1 warm-up and 2 measured 1 s iterations",
            minutes));
    out.append(
        String.format(
            Locale.ROOT,
            "**Machine.** %d cores; %s %s; 1-minute load average during the run %.1f to %.1f"
                + " (the benchmark itself accounts for 1 to 2 of it). Figures in ops/µs, but the"
                + " shared-tier rows in ops/ms.%n%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"),
            load.min(),
            load.max()));
    out.append(
        "| path | threads | keys | freshcache | peer | peer's figure | ratio | target | holds |\n");
    out.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      double mine = median(scores.get(row.freshcache()));
      double theirs = median(scores.get(row.peer()));
      if (failed.contains(row.freshcache()) || failed.contains(row.peer())) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | – | `%s` | – | – | ≥ %.1f× | failed in a round (see the log) |%n",
                row.path(),
                row.freshcache().threads(),
                row.freshcache().distribution(),
                row.peer().method(),
                row.target()));
        continue;
      }
      double ratio = mine / theirs;
      if (Double.isNaN(row.target())) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %.2f | `%s` | %.2f | %.2f× | – | (diagnostic) |%n",
                row.path(),
                row.freshcache().threads(),
                row.freshcache().distribution(),
                mine,
                row.peer().method(),
                theirs,
                ratio));
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %.2f | `%s` | %.2f | %.2f× | ≥ %.1f× | %s |%n",
              row.path(),
              row.freshcache().threads(),
              row.freshcache().distribution(),
              mine,
              row.peer().method()
                  + (row.peer().threads() != row.freshcache().threads()
                      ? " (" + row.peer().threads() + "t)"
                      : ""),
              theirs,
              ratio,
              row.target(),
              ratio >= row.target() ? "yes" : "**no**"));
    }
    out.append("\n| hit allocation (`-prof gc`, `gc.alloc.rate.norm`) | B/op | target |\n");
    out.append("|---|---|---|\n");
    for (Map.Entry<Bench, List<Double>> e : allocations.entrySet()) {
      if (e.getKey().method().startsWith("freshcache")
          && !e.getKey().type().equals("HitFloorBenchmark")) {
        out.append(
            String.format(
                Locale.ROOT, "| %s | %.3f | 0 |%n", e.getKey().label(), median(e.getValue())));
      }
    }
    return out.toString();
  }

  static double median(List<Double> values) {
    if (values == null || values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The 1-minute load average, sampled every 5 s while the comparison runs. */
  static final class LoadSampler {
    private volatile double min = Double.MAX_VALUE;
    private volatile double max;
    private Thread thread;

    void start() {
      thread =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  sample();
                  try {
                    Thread.sleep(5_000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "compare-load");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      thread.interrupt();
      sample();
    }

    private void sample() {
      double now = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      if (now >= 0) {
        min = Math.min(min, now);
        max = Math.max(max, now);
      }
    }

    double min() {
      return min == Double.MAX_VALUE ? Double.NaN : min;
    }

    double max() {
      return max;
    }
  }
}
