package io.freshcache.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Invalidation propagation lag over one bus ({@code --bus}: Redis, RabbitMQ or Kafka), freshcache
 * against the same broker through its plain client, in one run (for Redis, the project's
 * performance target "invalidation propagation to 8 instances: p99 ≤ 1.5 × raw Redis pub/sub round
 * trip"). For each instance count it alternates a raw round ({@link RawRound}) and a freshcache
 * round ({@link FreshCacheRound}), switching which goes first each round, after one unreported
 * round of each to warm the JIT up; then one burst round of each kind (unpaced events to three
 * instances: the events per second the bus sustains to all of them); then it prints every round,
 * Redis's command counts per event (on Redis), and a Markdown summary. Everything runs in this JVM,
 * so one {@link System#nanoTime()} clock serves publisher and receivers.
 *
 * <pre>
 * java -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.PropagationHarness \
 *     [--bus redis|rabbitmq|kafka] [--redis URI] [--rabbitmq URI] [--kafka host:port] \
 *     [--start-kafka] [--instances 3,8] [--events 1000] [--warmup 300] [--rate 500] \
 *     [--rounds 3] [--burst 10000]
 * </pre>
 *
 * <p>Bounded: every round has a deadline (its events at the asked rate, plus 30 s). Keys, channels,
 * exchanges and topics start with {@code fcbench}; what the buses leave on the server (streams,
 * exchanges, topics) is deleted after each round. Exits with status 1 if a round missed deliveries
 * or Redis keys were left behind.
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
    System.exit(run(options, System.out) ? 0 : 1);
  }

  /** Runs every round {@code options} asks for, printing to {@code out}; true if none failed. */
  static boolean run(HarnessOptions options, PrintStream out) throws Exception {
    return measure(options, out).ok();
  }

  /**
   * What a run measured: whether every round was complete and nothing was left on the server, the
   * measured rounds (warm-up left out) and the burst rounds.
   */
  record Outcome(boolean ok, List<RoundResult> rounds, List<RoundResult> bursts) {}

  /** Runs every round {@code options} asks for, printing to {@code out}, and returns them. */
  static Outcome measure(HarnessOptions options, PrintStream out) throws Exception {
    String runId = UUID.randomUUID().toString().substring(0, 8);
    boolean ok = true;
    List<RoundResult> results = new ArrayList<>();
    List<RoundResult> bursts = new ArrayList<>();
    try (MeasuredBus bus = options.measuredBus()) {
      printEnvironment(options, bus, runId, out);
      // Round 0 runs both kinds once, at the largest instance count and with three times the
      // events, so that the JIT has compiled the client's, Jackson's and freshcache's paths
      // before anything is measured; it is printed but left out of the summary.
      int most = options.instances().stream().mapToInt(Integer::intValue).max().orElseThrow();
      HarnessOptions longer = options.times(3);
      for (RoundResult warmup :
          List.of(
              RawRound.run(bus, longer, most, 0, runId),
              FreshCacheRound.run(bus, longer, most, 0, runId))) {
        print(warmup, out);
        ok &= warmup.complete();
      }
      for (int instances : options.instances()) {
        for (int round = 1; round <= options.rounds(); round++) {
          boolean rawFirst = round % 2 == 1;
          for (int k = 0; k < 2; k++) {
            RoundResult result =
                (k == 0) == rawFirst
                    ? RawRound.run(bus, options, instances, round, runId)
                    : FreshCacheRound.run(bus, options, instances, round, runId);
            print(result, out);
            results.add(result);
            ok &= result.complete();
          }
        }
      }
      if (options.burst() > 0) {
        HarnessOptions burst = options.forBurst();
        int instances = HarnessOptions.BURST_INSTANCES;
        bursts.add(RawRound.run(bus, burst, instances, BURST_ROUND, runId));
        bursts.add(FreshCacheRound.run(bus, burst, instances, BURST_ROUND, runId));
        for (RoundResult result : bursts) {
          print(result, out);
          ok &= result.complete();
        }
      }
      long left = bus.leftBehind(runId);
      out.printf(Locale.ROOT, "%nkeys of this run left behind on the server: %d%n", left);
      ok &= left == 0;
      out.println();
      out.print(summary(options, results));
      out.print(burstSummary(bus, bursts));
      out.println("load average at the end: " + loadAverage());
    }
    return new Outcome(ok, results, bursts);
  }

  /** The round number the burst rounds carry (printed; never among the measured rounds). */
  static final int BURST_ROUND = -1;

  private static void printEnvironment(
      HarnessOptions options, MeasuredBus bus, String id, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "propagation harness, run %s: %s; java %s (%s); %d processors; load average %s%n",
        id,
        bus.describe(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    out.printf(
        Locale.ROOT,
        "instances %s; per round %d warm-up + %d measured events at %.0f/s; %d rounds of each"
            + " kind, alternating which goes first, after a JVM warm-up round 0 of each kind"
            + " (not in the summary); freshcache publishes with %s; then a burst of %d unpaced"
            + " events to %d instances of each kind%n%n",
        options.instances(),
        options.warmup(),
        options.events(),
        options.rate(),
        options.rounds(),
        options.viaCache() ? "cache.invalidate(key)" : "group.invalidateKeys(key)",
        options.burst(),
        HarnessOptions.BURST_INSTANCES);
  }

  private static void print(RoundResult r, PrintStream out) {
    int events = (int) (r.expected() / r.instances());
    out.printf(
        Locale.ROOT,
        "N=%d round %s %-10s received %d/%d, %d events at %.1f/s, %.0f/s reached all; measured:"
            + " %s%n",
        r.instances(),
        r.round() == BURST_ROUND ? "burst" : Integer.toString(r.round()),
        r.kind(),
        r.received(),
        r.expected(),
        events,
        r.achievedRate(),
        r.reachedAllRate(),
        r.lags().summary());
    Usage u = r.usage();
    if (u.redis() != null) {
      out.printf(
          Locale.ROOT, "    Redis commands per event: %s%n", perEvent(u.redis().calls(), events));
      out.printf(
          Locale.ROOT,
          "    CPU over %.2f s: Redis %.2f s (%.0f µs/event), this JVM %.2f s (%.0f µs/event)%n",
          u.wallSeconds(),
          u.redis().cpuSeconds(),
          u.redis().cpuSeconds() * 1e6 / events,
          u.jvmCpuSeconds(),
          u.jvmCpuSeconds() * 1e6 / events);
    } else {
      out.printf(
          Locale.ROOT,
          "    CPU over %.2f s: this JVM %.2f s (%.0f µs/event); the broker's is not measured%n",
          u.wallSeconds(),
          u.jvmCpuSeconds(),
          u.jvmCpuSeconds() * 1e6 / events);
    }
    if (!u.threads().seconds().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "    this JVM by thread: publisher %.0f µs/event, receivers %.0f µs/event each,"
              + " unattributed %.0f µs/event (%s)%n",
          u.threads().of(ThreadCpu.PUBLISHER) * 1e6 / events,
          u.threads().of(ThreadCpu.RECEIVERS) * 1e6 / events / r.instances(),
          u.threads().of(ThreadCpu.OTHER) * 1e6 / events,
          u.threads().describeOthers());
    }
    out.printf(
        Locale.ROOT,
        "    waiting for a core: some task of the machine %.0f%% of the time; this JVM's threads"
            + " %.0f ms per second (summed), Redis %.1f ms per second%n",
        100 * u.pressure(),
        1e3 * u.jvmWaitSeconds() / u.wallSeconds(),
        1e3 * u.redisWaitSeconds() / u.wallSeconds());
    r.details().forEach(line -> out.println("    " + line));
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
            "Propagation lag on %s, publish to received (raw) or applied (freshcache), µs; %d"
                + " measured events per round at %.0f/s after %d warm-up events; every receiver"
                + " pooled.%n%n",
            options.bus(),
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

  /** The burst rounds' table: the events per second each kind sustained to every instance. */
  static String burstSummary(MeasuredBus bus, List<RoundResult> bursts) {
    if (bursts.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Burst on %s: %d unpaced events to %d instances, first publish to the last"
                + " reception on every instance%n%n",
            bus.name(),
            bursts.get(0).expected() / bursts.get(0).instances(),
            bursts.get(0).instances()));
    out.append("| kind | events/s reached all | publisher's own rate | p50 µs | p99 µs |\n");
    out.append("|---|---|---|---|---|\n");
    for (RoundResult r : bursts) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f | %s | %s |%n",
              r.kind(),
              r.reachedAllRate(),
              r.achievedRate(),
              Lags.format(r.lags().micros(50)),
              Lags.format(r.lags().micros(99))));
    }
    return out.append('\n').toString();
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
