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
 * with its ratio and target, and rewrites the table between the {@code compare} markers of {@code
 * BENCHMARKS.md}.
 *
 * <pre>
 * java -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.Compare [--full] [--file BENCHMARKS.md]
 * </pre>
 *
 * <p>Quick mode (the default): 2 rounds, 1 warm-up and 2 measured one-second iterations per
 * benchmark, under 10 minutes on 2 cores. {@code --full}: 5 rounds, 3 warm-ups and 5 iterations.
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
  private final Map<Bench, List<Double>> scores = new LinkedHashMap<>();
  private final Map<Bench, List<Double>> allocations = new LinkedHashMap<>();
  private final LoadSampler load = new LoadSampler();
  private final java.util.Set<Bench> failed = new java.util.HashSet<>();

  private Compare(boolean full) {
    this.full = full;
  }

  public static void main(String[] args) throws Exception {
    boolean full = false;
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
        default -> fail("unknown option '" + args[i] + "'; the options are --full and --file PATH");
      }
    }
    if (!Files.isRegularFile(file)) {
      fail(file + " not found: run from the project's root, or give --file PATH");
    }
    String document = Files.readString(file, StandardCharsets.UTF_8);
    if (!document.contains(BEGIN) || !document.contains(END)) {
      fail(file + " has no " + BEGIN + " ... " + END + " markers to write the table between");
    }
    Compare compare = new Compare(full);
    String table = compare.run();
    document = Files.readString(file, StandardCharsets.UTF_8); // as it is now, after the run
    if (!document.contains(BEGIN) || !document.contains(END)) {
      fail(file + " lost its markers during the run; the table is:\n" + table);
    }
    int from = document.indexOf(BEGIN) + BEGIN.length();
    int to = document.indexOf(END);
    Files.writeString(
        file,
        document.substring(0, from) + "\n" + table + document.substring(to),
        StandardCharsets.UTF_8);
    System.out.println(table);
    System.out.println("Written to " + file + ".");
  }

  private static void fail(String message) {
    System.err.println("compare: " + message);
    System.exit(2);
  }

  static List<Row> rows() {
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
    List<Row> rows = rows();
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
    load.start();
    for (int round = 1; round <= rounds; round++) {
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
    load.stop();
    long minutes = TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - started);
    return table(rows, rounds, minutes);
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
    if (Set.of("HitBenchmark", "FeatureHitBenchmark", "PeerHitBenchmark").contains(bench.type())) {
      options.param("distribution", bench.distribution());
    }
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
      if (e.getKey().method().startsWith("freshcache")) {
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
