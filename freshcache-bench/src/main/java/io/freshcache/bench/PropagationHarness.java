package io.freshcache.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Invalidation propagation lag over Redis, freshcache against raw Redis pub/sub, in one run (the
 * the project's performance target "invalidation propagation to 8 instances: p99 ≤ 1.5 × raw Redis
 * pub/sub round trip"). For each instance count it alternates a raw round ({@link RawPubSubRound})
 * and a freshcache round ({@link FreshCacheRound}), switching which goes first each round, after
 * one unreported round of each to warm the JIT up; then it prints every round, Redis's command
 * counts per event, and a Markdown summary. Everything runs in this JVM, so one {@link
 * System#nanoTime()} clock serves publisher and receivers.
 *
 * <pre>
 * java -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.PropagationHarness \
 *     [--redis redis://127.0.0.1:6379] [--instances 3,8] [--events 1000] [--warmup 300] \
 *     [--rate 500] [--rounds 3]
 * </pre>
 *
 * <p>Bounded: every round has a deadline (its events at the asked rate, plus 30 s). Keys and
 * channels start with {@code fcbench}; the streams the buses write are deleted after each round.
 * Exits with status 1 if a round missed deliveries or keys were left behind.
 */
public final class PropagationHarness {

  private PropagationHarness() {}

  public static void main(String[] args) throws Exception {
    HarnessOptions options;
    try {
      options = HarnessOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String runId = UUID.randomUUID().toString().substring(0, 8);
    boolean ok = true;
    List<RoundResult> results = new ArrayList<>();
    try (RedisCounters counters = new RedisCounters(options.redis())) {
      printEnvironment(options, counters, runId);
      // Round 0 runs both kinds once, at the largest instance count and with three times the
      // events, so that the JIT has compiled Lettuce's, Jackson's and freshcache's paths before
      // anything is measured; it is printed but left out of the summary.
      int most = options.instances().stream().mapToInt(Integer::intValue).max().orElseThrow();
      HarnessOptions longer = options.times(3);
      for (RoundResult warmup :
          List.of(
              RawPubSubRound.run(longer, most, 0, runId, counters),
              FreshCacheRound.run(longer, most, 0, runId, counters))) {
        print(warmup, options);
        ok &= warmup.complete();
      }
      for (int instances : options.instances()) {
        for (int round = 1; round <= options.rounds(); round++) {
          boolean rawFirst = round % 2 == 1;
          for (int k = 0; k < 2; k++) {
            RoundResult result =
                (k == 0) == rawFirst
                    ? RawPubSubRound.run(options, instances, round, runId, counters)
                    : FreshCacheRound.run(options, instances, round, runId, counters);
            print(result, options);
            results.add(result);
            ok &= result.complete();
          }
        }
      }
      long left = counters.countKeys(FreshCacheRound.KEY_PREFIX + "*" + runId + "*");
      System.out.printf(Locale.ROOT, "%nRedis keys of this run left behind: %d%n", left);
      ok &= left == 0;
      System.out.println();
      System.out.print(summary(options, results));
      System.out.println("load average at the end: " + loadAverage());
    }
    System.exit(ok ? 0 : 1);
  }

  private static void printEnvironment(HarnessOptions options, RedisCounters counters, String id) {
    System.out.printf(
        Locale.ROOT,
        "propagation harness, run %s: Redis %s at %s; java %s (%s); %d processors; load average"
            + " %s%n",
        id,
        counters.serverInfo("redis_version"),
        options.redis(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    System.out.printf(
        Locale.ROOT,
        "instances %s; per round %d warm-up + %d measured events at %.0f/s; %d rounds of each"
            + " kind, alternating which goes first, after a JVM warm-up round 0 of each kind"
            + " (not in the summary)%n%n",
        options.instances(),
        options.warmup(),
        options.events(),
        options.rate(),
        options.rounds(),
        options.viaCache() ? "cache.invalidate(key)" : "group.invalidateKeys(key)");
  }

  private static void print(RoundResult r, HarnessOptions options) {
    int events = (int) (r.expected() / r.instances());
    System.out.printf(
        Locale.ROOT,
        "N=%d round %d %-10s received %d/%d, %d events at %.1f/s; measured: %s%n",
        r.instances(),
        r.round(),
        r.kind(),
        r.received(),
        r.expected(),
        events,
        r.achievedRate(),
        r.lags().summary());
    Usage u = r.usage();
    System.out.printf(
        Locale.ROOT, "    Redis commands per event: %s%n", perEvent(u.redis().calls(), events));
    System.out.printf(
        Locale.ROOT,
        "    CPU over %.2f s: Redis %.2f s (%.0f µs/event), this JVM %.2f s (%.0f µs/event)%n",
        u.wallSeconds(),
        u.redis().cpuSeconds(),
        u.redis().cpuSeconds() * 1e6 / events,
        u.jvmCpuSeconds(),
        u.jvmCpuSeconds() * 1e6 / events);
    System.out.printf(
        Locale.ROOT,
        "    waiting for a core: some task of the machine %.0f%% of the time; this JVM's threads"
            + " %.0f ms per second (summed), Redis %.1f ms per second%n",
        100 * u.pressure(),
        1e3 * u.jvmWaitSeconds() / u.wallSeconds(),
        1e3 * u.redisWaitSeconds() / u.wallSeconds());
    r.details().forEach(line -> System.out.println("    " + line));
  }

  private static String perEvent(Map<String, Long> calls, int events) {
    return calls.entrySet().stream()
        .map(
            e ->
                String.format(
                    Locale.ROOT,
                    "%s %d (%.2f)",
                    e.getKey(),
                    e.getValue(),
                    e.getValue() / (double) events))
        .collect(Collectors.joining(", "));
  }

  /** The Markdown tables for BENCHMARKS.md. */
  static String summary(HarnessOptions options, List<RoundResult> results) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Propagation lag, publish to received (raw) or applied (freshcache), µs; %d measured"
                + " events per round at %.0f/s after %d warm-up events; every receiver pooled.%n%n",
            options.events(),
            options.rate(),
            options.warmup()));
    for (int instances : options.instances()) {
      out.append(String.format(Locale.ROOT, "N = %d receiving instances%n%n", instances));
      out.append(
          "| round | first | raw p50 | raw p90 | raw p99 | raw max | freshcache p50 | freshcache"
              + " p90 | freshcache p99 | freshcache max | p99 ratio |\n");
      out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
      Lags rawAll = new Lags();
      Lags freshAll = new Lags();
      for (int round = 1; round <= options.rounds(); round++) {
        RoundResult raw = find(results, "raw", instances, round);
        RoundResult fresh = find(results, "freshcache", instances, round);
        rawAll.add(raw.lags());
        freshAll.add(fresh.lags());
        out.append(
            row(
                Integer.toString(round),
                round % 2 == 1 ? "raw" : "freshcache",
                raw.lags(),
                fresh.lags()));
      }
      out.append(row("pooled", "", rawAll, freshAll)).append('\n');
    }
    return out.toString();
  }

  private static String row(String round, String first, Lags raw, Lags fresh) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f× |%n",
        round,
        first,
        Lags.format(raw.micros(50)),
        Lags.format(raw.micros(90)),
        Lags.format(raw.micros(99)),
        Lags.format(raw.maxMicros()),
        Lags.format(fresh.micros(50)),
        Lags.format(fresh.micros(90)),
        Lags.format(fresh.micros(99)),
        Lags.format(fresh.maxMicros()),
        fresh.micros(99) / raw.micros(99));
  }

  private static RoundResult find(
      List<RoundResult> results, String kind, int instances, int round) {
    return results.stream()
        .filter(r -> r.kind().equals(kind) && r.instances() == instances && r.round() == round)
        .findFirst()
        .orElseThrow();
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception unavailable) {
      return "n/a";
    }
  }
}
