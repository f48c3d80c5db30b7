package io.freshcache.bench.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The harness's command line; every option has a default, and a bad one says what to give. */
record FleetOptions(
    String library,
    long seed,
    int instances,
    int readerThreads,
    int keys,
    int rounds,
    List<Fault> faults,
    long deltaMillis,
    long gapMillis,
    long settleMillis,
    long writePauseMicros,
    long readPauseMicros,
    String pg,
    String redisServer,
    String dir) {

  static final List<String> LIBRARIES =
      List.of("freshcache", "redisson-none", "redisson-clear", "redisson-load");

  static final String USAGE =
      String.join(
          "\n",
          "usage: FleetHarness [--library freshcache|redisson-none|redisson-clear|redisson-load]",
          "  [--seed 1] [--instances 4] [--reader-threads 2] [--keys 200] [--rounds 1]",
          "  [--faults all|f1,f2,...] [--delta-ms 200] [--gap-ms 3000] [--settle-ms 1000]",
          "  [--write-pause-us 5000] [--read-pause-us 20] [--quick]",
          "  [--pg jdbc:postgresql://127.0.0.1:5432/test?user=postgres]",
          "  [--redis-server /usr/bin/redis-server] [--dir target/fleet]",
          "faults: " + String.join(", ", Arrays.stream(Fault.values()).map(Fault::label).toList()));

  static FleetOptions parse(String... args) {
    String library = "freshcache";
    long seed = 1;
    int instances = 4;
    int threads = 2;
    int keys = 200;
    int rounds = 1;
    List<Fault> faults = List.of(Fault.values());
    long delta = 200;
    long gap = 3_000;
    long settle = 1_000;
    long writePause = 5_000;
    long readPause = 20;
    String pg = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    String redis = "/usr/bin/redis-server";
    String dir = "target/fleet";
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--quick")) {
        gap = 1_500;
        rounds = 1;
        continue;
      }
      if (option.equals("--help")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      try {
        switch (option) {
          case "--library" -> {
            library = value.toLowerCase(Locale.ROOT);
            if (!LIBRARIES.contains(library)) {
              throw new IllegalArgumentException(
                  "unknown library '" + value + "': use one of " + String.join(", ", LIBRARIES));
            }
          }
          case "--seed" -> seed = Long.parseLong(value);
          case "--instances" -> instances = positive(option, value, 2);
          case "--reader-threads" -> threads = positive(option, value, 1);
          case "--keys" -> keys = positive(option, value, 1);
          case "--rounds" -> rounds = positive(option, value, 1);
          case "--faults" -> {
            if (value.equals("all")) {
              faults = List.of(Fault.values());
            } else if (value.equals("none")) {
              faults = List.of();
            } else {
              List<Fault> parsed = new ArrayList<>();
              for (String f : value.split(",")) {
                parsed.add(Fault.parse(f.trim()));
              }
              faults = List.copyOf(parsed);
            }
          }
          case "--delta-ms" -> delta = positive(option, value, 1);
          case "--gap-ms" -> gap = positive(option, value, 100);
          case "--settle-ms" -> settle = positive(option, value, 0);
          case "--write-pause-us" -> writePause = positive(option, value, 0);
          case "--read-pause-us" -> readPause = positive(option, value, 0);
          case "--pg" -> pg = value;
          case "--redis-server" -> redis = value;
          case "--dir" -> dir = value;
          default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " takes a number, was '" + value + "'", e);
      }
    }
    return new FleetOptions(
        library,
        seed,
        instances,
        threads,
        keys,
        rounds,
        faults,
        delta,
        gap,
        settle,
        writePause,
        readPause,
        pg,
        redis,
        dir);
  }

  private static int positive(String option, String value, int min) {
    int n = Integer.parseInt(value);
    if (n < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", was " + n);
    }
    return n;
  }

  boolean isFreshcache() {
    return library.equals("freshcache");
  }
}
