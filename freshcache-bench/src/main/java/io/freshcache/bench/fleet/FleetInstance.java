package io.freshcache.bench.fleet;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.redisson.api.options.LocalCachedMapOptions;

/**
 * One application instance of the fleet, in a process of its own: a writer (moves random rows to
 * their next version in the source, then puts the new value through the library) or a reader
 * (threads reading random keys as fast as they may). Every read and write goes to its thread's
 * {@link HistoryLog}. Driven over standard input by {@link FleetHarness}: {@code CLOCK} (answers
 * {@code CLOCK <nanoTime>}), {@code SLOW <ms>}, {@code KILLPOINT} (the writer makes one more write,
 * prints {@code ACK} and waits to be killed), {@code STOP} (prints {@code DONE ...}, exits).
 */
public final class FleetInstance {

  private FleetInstance() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String library = a.get("library");
    String role = a.get("role");
    int instance = Integer.parseInt(a.get("instance"));
    int keys = Integer.parseInt(a.get("keys"));
    int threads = Integer.parseInt(a.get("threads"));
    long seed = Long.parseLong(a.get("seed"));
    Path dir = Path.of(a.get("dir"));
    Duration delta = Duration.ofMillis(Long.parseLong(a.get("delta-ms")));
    long writePauseMicros = Long.parseLong(a.get("write-pause-us"));
    long readPauseMicros = Long.parseLong(a.get("read-pause-us"));
    String name = role + "-" + instance;

    Rows rows = new Rows(a.get("pg"), a.get("schema"));
    AtomicLong loads = new AtomicLong();
    Map<Long, AtomicLong> loadsPer100ms = new ConcurrentHashMap<>();
    FreshcacheClient.Loader loader =
        key -> {
          long version = rows.load(Integer.parseInt(key.substring(1)));
          loads.incrementAndGet();
          loadsPer100ms
              .computeIfAbsent(System.nanoTime() / 100_000_000L, b -> new AtomicLong())
              .incrementAndGet();
          return Long.toString(version);
        };
    FleetClient client =
        switch (library) {
          case "freshcache" ->
              new FreshcacheClient(
                  a.get("redis"),
                  a.get("namespace"),
                  name,
                  delta,
                  role.equals("writer") ? Files.createDirectories(dir.resolve("markers")) : null,
                  loader);
          case "redisson-none" ->
              new RedissonFleetClient(
                  a.get("redis"),
                  a.get("namespace"),
                  LocalCachedMapOptions.ReconnectionStrategy.NONE,
                  loader);
          case "redisson-clear" ->
              new RedissonFleetClient(
                  a.get("redis"),
                  a.get("namespace"),
                  LocalCachedMapOptions.ReconnectionStrategy.CLEAR,
                  loader);
          case "redisson-load" ->
              new RedissonFleetClient(
                  a.get("redis"),
                  a.get("namespace"),
                  LocalCachedMapOptions.ReconnectionStrategy.LOAD,
                  loader);
          default -> throw new IllegalArgumentException("unknown library " + library);
        };

    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean killPoint = new AtomicBoolean();
    AtomicBoolean owed = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    String generation = a.getOrDefault("generation", "0");
    if (role.equals("writer")) {
      HistoryLog log =
          new HistoryLog(dir.resolve("i" + instance + "-g" + generation + "-w.log"), instance);
      workers.add(
          new Thread(
              () ->
                  write(
                      client,
                      rows,
                      log,
                      keys,
                      seed,
                      writePauseMicros,
                      stop,
                      killPoint,
                      owed,
                      errors),
              "writer"));
      HistoryLog deliveries =
          new HistoryLog(dir.resolve("i" + instance + "-g" + generation + "-d.log"), instance);
      // Marks each moment the outbox is seen empty after a write that returned with it owed:
      // the write's bound runs from there.
      Thread watch =
          new Thread(
              () -> {
                while (!stop.get()) {
                  if (owed.getAndSet(false)) {
                    if (client.pending()) {
                      owed.set(true);
                    } else {
                      deliveries.delivered(System.nanoTime());
                      deliveries.flush();
                    }
                  }
                  LockSupport.parkNanos(500_000);
                }
                deliveries.close();
              },
              "outbox-watch");
      watch.setDaemon(true);
      watch.start();
    } else {
      for (int t = 0; t < threads; t++) {
        HistoryLog log =
            new HistoryLog(
                dir.resolve("i" + instance + "-g" + generation + "-r" + t + ".log"), instance);
        long threadSeed = seed * 31 + t;
        workers.add(
            new Thread(
                () -> read(client, log, keys, threadSeed, readPauseMicros, stop, reads, errors),
                "reader-" + t));
      }
    }
    System.out.println("READY");
    System.out.flush();
    workers.forEach(Thread::start);

    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("CLOCK")) {
        System.out.println("CLOCK " + System.nanoTime());
      } else if (line.startsWith("SLOW ")) {
        rows.slowBy(Long.parseLong(line.substring(5)));
      } else if (line.equals("KILLPOINT")) {
        killPoint.set(true);
      } else if (line.equals("STOP")) {
        break;
      }
      System.out.flush();
    }
    stop.set(true);
    for (Thread w : workers) {
      w.join(10_000);
    }
    StringBuilder buckets = new StringBuilder();
    loadsPer100ms.forEach((b, n) -> buckets.append(' ').append(b).append(':').append(n.get()));
    System.out.println("LOADS" + buckets);
    System.out.println(
        "DONE reads="
            + reads.get()
            + " errors="
            + errors.get()
            + " loads="
            + loads.get()
            + " "
            + client.counters());
    System.out.flush();
    client.close();
    rows.close();
    System.exit(0);
  }

  private static void read(
      FleetClient client,
      HistoryLog log,
      int keys,
      long seed,
      long pauseMicros,
      AtomicBoolean stop,
      AtomicLong reads,
      AtomicLong errors) {
    SplittableRandom random = new SplittableRandom(seed);
    long lastFlush = System.nanoTime();
    while (!stop.get()) {
      int key = random.nextInt(keys);
      long start = System.nanoTime();
      try {
        String value = client.get("k" + key);
        long end = System.nanoTime();
        log.read(key, Long.parseLong(value), start, end);
        reads.incrementAndGet();
      } catch (RuntimeException e) {
        log.error(key, System.nanoTime(), false);
        errors.incrementAndGet();
      }
      long now = System.nanoTime();
      if (now - lastFlush > 50_000_000L) {
        log.flush();
        lastFlush = now;
      }
      if (pauseMicros > 0) {
        LockSupport.parkNanos(pauseMicros * 1_000);
      }
    }
    log.close();
  }

  private static void write(
      FleetClient client,
      Rows rows,
      HistoryLog log,
      int keys,
      long seed,
      long pauseMicros,
      AtomicBoolean stop,
      AtomicBoolean killPoint,
      AtomicBoolean owed,
      AtomicLong errors) {
    SplittableRandom random = new SplittableRandom(seed);
    while (!stop.get()) {
      int key = random.nextInt(keys);
      long start = System.nanoTime();
      long version;
      try {
        version = rows.advance(key);
      } catch (Exception e) {
        log.error(key, System.nanoTime(), true);
        errors.incrementAndGet();
        continue;
      }
      try {
        client.put("k" + key, Long.toString(version));
        long end = System.nanoTime();
        boolean pending = client.pending();
        if (pending) {
          owed.set(true); // after the check: a delivery mark is always later than this return
        }
        log.write(key, version, start, end, pending);
      } catch (RuntimeException e) {
        log.error(key, System.nanoTime(), true); // the source has it; the call failed
        errors.incrementAndGet();
      }
      log.flush();
      if (killPoint.get()) {
        System.out.println("ACK " + key + " " + version);
        System.out.flush();
        LockSupport.park(); // killed here
      }
      LockSupport.parkNanos((pauseMicros / 2 + random.nextLong(pauseMicros + 1)) * 1_000);
    }
    log.close();
  }
}
