package io.freshcache.bench.fleet;

import io.freshcache.test.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The fleet harness: N application instances as separate JVMs over a real source (a PostgreSQL
 * schema of the run's own) and a private {@code redis-server}, one writer and N−1 readers, through
 * freshcache or Redisson's {@code RLocalCachedMap}, under a seeded schedule of faults; then every
 * read is judged by {@link StalenessChecker} and the run is reported per fault.
 *
 * <pre>
 * freshcache-bench/fleet.sh --library freshcache --seed 7 --rounds 3
 * freshcache-bench/fleet.sh --library redisson-none --seed 7 --rounds 3
 * freshcache-bench/fleet.sh --quick              (one round of every fault, about a minute)
 * </pre>
 *
 * <p>Timestamps are {@code System.nanoTime}, which on Linux is {@code CLOCK_MONOTONIC} and so one
 * clock for every process of the host; the harness does not assume it: before the run it asks each
 * instance for its clock and requires the answer to lie between its own readings before and after
 * the question (the error bound is printed). Exits 1 if freshcache served a read stale beyond the
 * bound, 2 on bad options; Redisson's stale reads are reported, not failed.
 */
public final class FleetHarness {

  private FleetHarness() {}

  public static void main(String[] args) throws Exception {
    FleetOptions options;
    try {
      options = FleetOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    FleetReport report = run(options);
    System.out.print(report.text());
    System.exit(options.isFreshcache() && report.staleBeyond() > 0 ? 1 : 0);
  }

  /** Runs the fleet once and judges it. */
  public static FleetReport run(FleetOptions options) throws Exception {
    String runId =
        options.library().replace('-', '_')
            + "_s"
            + options.seed()
            + "_"
            + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    Path dir = Files.createDirectories(Path.of(options.dir()).toAbsolutePath().resolve(runId));
    String schema = "fleet_" + runId;
    String namespace = "fleet-" + runId;
    Rows.create(options.pg(), schema, options.keys());
    List<StalenessChecker.Window> windows = new ArrayList<>();
    List<String> clock = new ArrayList<>();
    List<String> done = new ArrayList<>();
    List<String> loadLines = new ArrayList<>();
    List<InstanceProcess> readers = new ArrayList<>();
    InstanceProcess[] writer = new InstanceProcess[1];
    List<InstanceProcess> everyProcess = Collections.synchronizedList(new ArrayList<>());
    List<String> notes = new ArrayList<>();
    long started;
    long ended;
    PrivateRedisServer[] server = new PrivateRedisServer[1];
    // A run stopped from outside (Ctrl-C, SIGTERM) leaves no instance, Redis or schema behind.
    Thread cleanup =
        new Thread(
            () -> {
              List.copyOf(everyProcess).forEach(InstanceProcess::destroy);
              if (server[0] != null) {
                server[0].destroy();
              }
              try {
                Rows.drop(options.pg(), schema);
              } catch (java.sql.SQLException e) {
                System.err.println("could not drop schema " + schema + ": " + e.getMessage());
              }
            },
            "fleet-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (PrivateRedisServer redis = new PrivateRedisServer(options.redisServer(), dir);
        TcpProxy proxy = new TcpProxy(0, redis.port)) {
      server[0] = redis;
      String proxied = "redis://127.0.0.1:" + proxy.port();
      for (int i = 1; i < options.instances(); i++) {
        InstanceProcess reader =
            new InstanceProcess(
                i,
                "reader",
                0,
                args(options, redis.uri(), namespace, schema, dir, i, "reader"),
                dir.resolve("reader-" + i + ".err"));
        everyProcess.add(reader);
        readers.add(reader);
      }
      writer[0] = startWriter(options, proxied, namespace, schema, dir, 0);
      everyProcess.add(writer[0]);
      for (InstanceProcess p : everyProcess) {
        p.await("READY", 60);
      }
      for (InstanceProcess p : everyProcess) {
        clock.add(checkClock(p));
      }
      FaultInjector.Fleet fleet =
          new FaultInjector.Fleet() {
            @Override
            public List<InstanceProcess> readers() {
              return readers;
            }

            @Override
            public InstanceProcess writer() {
              return writer[0];
            }

            @Override
            public void restartWriter(InstanceProcess killed) throws Exception {
              killed.kill();
              InstanceProcess next =
                  startWriter(options, proxied, namespace, schema, dir, killed.generation + 1);
              everyProcess.add(next);
              next.await("READY", 60);
              writer[0] = next;
            }

            @Override
            public void broadcast(String command) throws Exception {
              for (InstanceProcess p : List.of(readers.toArray(new InstanceProcess[0]))) {
                p.send(command);
              }
              writer[0].send(command);
            }
          };
      List<Fault> schedule = schedule(options);
      SplittableRandom gaps = new SplittableRandom(options.seed());
      started = System.nanoTime();
      try (FaultInjector injector = new FaultInjector(redis, proxy, fleet, options.seed())) {
        Thread.sleep(options.gapMillis());
        for (Fault fault : schedule) {
          long from = System.nanoTime();
          injector.apply(fault);
          long end = System.nanoTime();
          long to = end + options.settleMillis() * 1_000_000L;
          windows.add(new StalenessChecker.Window(fault.label(), from, end, to));
          Files.writeString(
              dir.resolve("faults.txt"),
              fault.label() + " " + from + " " + end + " " + to + "\n",
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
          Thread.sleep(options.gapMillis() / 2 + gaps.nextLong(options.gapMillis()));
        }
        notes.addAll(injector.notes());
      }
      ended = System.nanoTime();
      for (InstanceProcess p : readers) {
        p.send("STOP");
      }
      writer[0].send("STOP");
      for (InstanceProcess p : readers) {
        loadLines.add(p.await("LOADS", 60));
        done.add("reader " + p.instance + ": " + p.await("DONE", 60));
      }
      loadLines.add(writer[0].await("LOADS", 60));
      done.add("writer (generation " + writer[0].generation + "): " + writer[0].await("DONE", 60));
    } catch (Exception | Error e) {
      Rows.drop(options.pg(), schema);
      throw e;
    } finally {
      for (InstanceProcess p : everyProcess) {
        p.close();
      }
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    StalenessChecker checker = new StalenessChecker(options.deltaMillis() * 1_000_000L, windows);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        String name = f.getFileName().toString();
        int instance = Integer.parseInt(name.substring(1, name.indexOf('-')));
        int generation =
            Integer.parseInt(name.substring(name.indexOf("-g") + 2, name.lastIndexOf('-')));
        HistoryLog.replay(f, instance * 1_000 + generation, checker::accept);
      }
    }
    for (String line : loadLines) {
      // "LOADS bucket:count ...", buckets of 100 ms of System.nanoTime
      for (String part : line.substring(5).trim().split(" ")) {
        if (!part.isEmpty()) {
          int colon = part.indexOf(':');
          checker.loads(
              Long.parseLong(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1)));
        }
      }
    }
    Rows.drop(options.pg(), schema);
    return new FleetReport(
        options, runId, dir, checker.judge(), clock, done, notes, (ended - started) / 1e9);
  }

  private static InstanceProcess startWriter(
      FleetOptions options,
      String redisUri,
      String namespace,
      String schema,
      Path dir,
      int generation)
      throws IOException {
    return new InstanceProcess(
        0,
        "writer",
        generation,
        args(options, redisUri, namespace, schema, dir, 0, "writer"),
        dir.resolve("writer.err"));
  }

  /** Every fault once per round, each round in an order of its own drawn from the seed. */
  static List<Fault> schedule(FleetOptions options) {
    SplittableRandom random = new SplittableRandom(options.seed());
    List<Fault> schedule = new ArrayList<>();
    for (int round = 0; round < options.rounds(); round++) {
      List<Fault> order = new ArrayList<>(options.faults());
      for (int i = order.size() - 1; i > 0; i--) {
        Collections.swap(order, i, random.nextInt(i + 1));
      }
      schedule.addAll(order);
    }
    return schedule;
  }

  /**
   * Asks the instance for its clock five times; each answer must lie between this process's
   * readings before and after the question. Returns the narrowest bracket.
   */
  private static String checkClock(InstanceProcess p) throws Exception {
    long narrowest = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long before = System.nanoTime();
      p.send("CLOCK");
      long theirs = Long.parseLong(p.await("CLOCK", 30).substring(6));
      long after = System.nanoTime();
      if (theirs < before || theirs > after) {
        throw new IllegalStateException(
            "instance "
                + p.instance
                + "'s System.nanoTime is not this process's clock ("
                + theirs
                + " outside ["
                + before
                + ", "
                + after
                + "]): the history cannot be judged across processes on this JVM or OS");
      }
      narrowest = Math.min(narrowest, after - before);
    }
    return String.format(
        Locale.ROOT,
        "instance %d reads this process's clock (checked to within %.3f ms)",
        p.instance,
        narrowest / 1e6);
  }

  private static List<String> args(
      FleetOptions o,
      String redis,
      String namespace,
      String schema,
      Path dir,
      int instance,
      String role) {
    return List.of(
        "--library", o.library(),
        "--role", role,
        "--instance", Integer.toString(instance),
        "--keys", Integer.toString(o.keys()),
        "--threads", Integer.toString(o.readerThreads()),
        "--seed", Long.toString(o.seed() * 1_000 + instance),
        "--dir", dir.toString(),
        "--delta-ms", Long.toString(o.deltaMillis()),
        "--write-pause-us", Long.toString(o.writePauseMicros()),
        "--read-pause-us", Long.toString(o.readPauseMicros()),
        "--pg", o.pg(),
        "--schema", schema,
        "--redis", redis,
        "--namespace", namespace);
  }
}
