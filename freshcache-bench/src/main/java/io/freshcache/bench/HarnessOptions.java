package io.freshcache.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The propagation harness's command line.
 *
 * @param bus the bus measured: {@code redis}, {@code rabbitmq} or {@code kafka}
 * @param redis the Redis URI, e.g. {@code redis://127.0.0.1:6379}
 * @param rabbitmq the AMQP URI of RabbitMQ, e.g. {@code amqp://guest:guest@127.0.0.1:5672}
 * @param kafka host:port of a running Kafka broker, or null with {@code startKafka}
 * @param startKafka whether the run starts a single-node Kafka broker of its own
 * @param instances the receiving instance counts to measure, in order (e.g. 3 then 8)
 * @param events measured events per round
 * @param warmup events sent before the measured ones in every round, not measured
 * @param rate events per second
 * @param rounds measured rounds of each kind per instance count, alternating raw and freshcache
 * @param viaCache whether freshcache's publisher invalidates through {@code cache.invalidate(key)}
 *     rather than {@code group.invalidateKeys(key)} (the two stamp events differently)
 * @param burst events of the burst round of each kind (sent as fast as the publisher can, to {@link
 *     #BURST_INSTANCES} instances; 0: no burst)
 * @param grace how long a round may wait, after its last event, for the receivers to catch up
 */
record HarnessOptions(
    String bus,
    String redis,
    String rabbitmq,
    String kafka,
    boolean startKafka,
    List<Integer> instances,
    int events,
    int warmup,
    double rate,
    int rounds,
    boolean viaCache,
    int burst,
    Duration grace) {

  /** How many instances the burst round reaches. */
  static final int BURST_INSTANCES = 3;

  /** A rate the pacer never waits at. */
  static final double UNPACED = 1e9;

  static final String USAGE =
      "usage: java -cp freshcache-bench/target/benchmarks.jar"
          + " io.freshcache.bench.PropagationHarness\n"
          + "  [--bus B]          redis (default), rabbitmq or kafka: freshcache over it, beside"
          + " its plain client\n"
          + "  [--redis URI]      Redis to use (default redis://127.0.0.1:6379)\n"
          + "  [--rabbitmq URI]   RabbitMQ to use (default amqp://guest:guest@127.0.0.1:5672)\n"
          + "  [--kafka H:P]      a running Kafka broker to use (or --start-kafka)\n"
          + "  [--start-kafka]    start a single-node Kafka broker for the run (the Kafka jars"
          + " must be on the class path: propagation.sh puts them there)\n"
          + "  [--instances N,..] receiving instances, one measurement per value (default 3,8)\n"
          + "  [--events M]       measured events per round (default 1000)\n"
          + "  [--warmup W]       unmeasured events before them, every round (default 300)\n"
          + "  [--rate R]         events per second (default 500)\n"
          + "  [--rounds K]       rounds of each kind per instance count, alternating (default 3)\n"
          + "  [--via group|cache] freshcache publishes with group.invalidateKeys(key) (default) or"
          + " cache.invalidate(key)\n"
          + "  [--burst E]        events of one burst round of each kind to 3 instances, sent"
          + " unpaced (default 10000; 0: none)";

  /** Total events a round publishes. */
  int total() {
    return warmup + events;
  }

  /** The same, with {@code factor} times as many events: for the JVM warm-up round. */
  HarnessOptions times(int factor) {
    return with(instances, events * factor, warmup, rate, rounds);
  }

  /** The burst round's: {@link #burst} events, none of them warm-up, as fast as they go. */
  HarnessOptions forBurst() {
    return with(List.of(BURST_INSTANCES), burst, 0, UNPACED, 1);
  }

  private HarnessOptions with(
      List<Integer> instances, int events, int warmup, double rate, int rounds) {
    return new HarnessOptions(
        bus,
        redis,
        rabbitmq,
        kafka,
        startKafka,
        instances,
        events,
        warmup,
        rate,
        rounds,
        viaCache,
        burst,
        grace);
  }

  /** The bus this run measures, connected (a broker started if asked). */
  MeasuredBus measuredBus() {
    return switch (bus) {
      case "redis" -> new MeasuredRedis(redis);
      case "rabbitmq" -> new MeasuredRabbit(rabbitmq);
      case "kafka" -> new MeasuredKafka(kafka, startKafka);
      default -> throw new IllegalStateException(bus);
    };
  }

  /** How long a round may take from its first event to its last reception. */
  Duration deadline() {
    return Duration.ofMillis((long) (total() * 1000 / rate)).plus(grace);
  }

  static HarnessOptions parse(String... args) {
    String bus = "redis";
    String redis = "redis://127.0.0.1:6379";
    String rabbitmq = "amqp://guest:guest@127.0.0.1:5672";
    String kafka = null;
    boolean startKafka = false;
    int burst = 10_000;
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
      if (arg.equals("--start-kafka")) {
        startKafka = true;
        continue;
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("missing a value after " + arg + "\n" + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--bus" -> bus = bus(value);
        case "--redis" -> redis = value;
        case "--rabbitmq" -> rabbitmq = value;
        case "--kafka" -> kafka = value;
        case "--burst" -> burst = positive(arg, value, 0);
        case "--instances" -> instances = counts(value);
        case "--events" -> events = positive(arg, value, 1);
        case "--warmup" -> warmup = positive(arg, value, 0);
        case "--rate" -> rate = positive(arg, value, 1);
        case "--rounds" -> rounds = positive(arg, value, 1);
        case "--via" -> viaCache = via(value);
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (bus.equals("kafka") && (kafka == null) == !startKafka) {
      throw new IllegalArgumentException(
          kafka == null
              ? "--bus kafka needs a broker: --kafka host:port of a running one, or --start-kafka"
              : "--kafka and --start-kafka exclude each other: give one");
    }
    return new HarnessOptions(
        bus,
        redis,
        rabbitmq,
        kafka,
        startKafka,
        instances,
        events,
        warmup,
        rate,
        rounds,
        viaCache,
        burst,
        Duration.ofSeconds(30));
  }

  private static String bus(String value) {
    return switch (value) {
      case "redis", "rabbitmq", "kafka" -> value;
      default ->
          throw new IllegalArgumentException(
              "--bus takes redis, rabbitmq or kafka, got \"" + value + "\"");
    };
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
