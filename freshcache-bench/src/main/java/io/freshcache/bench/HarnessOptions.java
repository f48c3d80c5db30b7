package io.freshcache.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The propagation harness's command line.
 *
 * @param redis the Redis URI, e.g. {@code redis://127.0.0.1:6379}
 * @param instances the receiving instance counts to measure, in order (e.g. 3 then 8)
 * @param events measured events per round
 * @param warmup events sent before the measured ones in every round, not measured
 * @param rate events per second
 * @param rounds measured rounds of each kind per instance count, alternating raw and freshcache
 * @param viaCache whether freshcache's publisher invalidates through {@code cache.invalidate(key)}
 *     rather than {@code group.invalidateKeys(key)} (the two stamp events differently)
 * @param grace how long a round may wait, after its last event, for the receivers to catch up
 */
record HarnessOptions(
    String redis,
    List<Integer> instances,
    int events,
    int warmup,
    double rate,
    int rounds,
    boolean viaCache,
    Duration grace) {

  static final String USAGE =
      "usage: java -cp freshcache-bench/target/benchmarks.jar"
          + " io.freshcache.bench.PropagationHarness\n"
          + "  [--redis URI]      Redis to use (default redis://127.0.0.1:6379)\n"
          + "  [--instances N,..] receiving instances, one measurement per value (default 3,8)\n"
          + "  [--events M]       measured events per round (default 1000)\n"
          + "  [--warmup W]       unmeasured events before them, every round (default 300)\n"
          + "  [--rate R]         events per second (default 500)\n"
          + "  [--rounds K]       rounds of each kind per instance count, alternating (default 3)\n"
          + "  [--via group|cache] freshcache publishes with group.invalidateKeys(key) (default) or"
          + " cache.invalidate(key)";

  /** Total events a round publishes. */
  int total() {
    return warmup + events;
  }

  /** The same, with {@code factor} times as many events: for the JVM warm-up round. */
  HarnessOptions times(int factor) {
    return new HarnessOptions(
        redis, instances, events * factor, warmup, rate, rounds, viaCache, grace);
  }

  /** How long a round may take from its first event to its last reception. */
  Duration deadline() {
    return Duration.ofMillis((long) (total() * 1000 / rate)).plus(grace);
  }

  static HarnessOptions parse(String... args) {
    String redis = "redis://127.0.0.1:6379";
    List<Integer> instances = List.of(3, 8);
    int events = 1000;
    int warmup = 300;
    double rate = 500;
    int rounds = 3;
    boolean viaCache = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("missing a value after " + arg + "\n" + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--redis" -> redis = value;
        case "--instances" -> instances = counts(value);
        case "--events" -> events = positive(arg, value, 1);
        case "--warmup" -> warmup = positive(arg, value, 0);
        case "--rate" -> rate = positive(arg, value, 1);
        case "--rounds" -> rounds = positive(arg, value, 1);
        case "--via" -> viaCache = via(value);
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    return new HarnessOptions(
        redis, instances, events, warmup, rate, rounds, viaCache, Duration.ofSeconds(30));
  }

  private static boolean via(String value) {
    return switch (value) {
      case "group" -> false;
      case "cache" -> true;
      default ->
          throw new IllegalArgumentException("--via takes group or cache, got \"" + value + "\"");
    };
  }

  private static List<Integer> counts(String value) {
    List<Integer> counts = new ArrayList<>();
    for (String part : value.split(",")) {
      counts.add(positive("--instances", part.trim(), 1));
    }
    return List.copyOf(counts);
  }

  private static int positive(String option, String value, int min) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, got \"" + value + "\"");
    }
    if (n < min || n > 1_000_000) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and 1000000, got " + n);
    }
    return n;
  }
}
