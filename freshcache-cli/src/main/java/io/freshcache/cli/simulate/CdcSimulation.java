package io.freshcache.cli.simulate;

import io.freshcache.CacheGroup;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.InProcessBus;
import io.freshcache.jdbc.pg.CommitLag;
import io.freshcache.jdbc.pg.PgChangeCapture;
import io.freshcache.jdbc.pg.TableMapping;
import io.freshcache.stats.PropagationLag;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The change-capture scenario: every write goes straight to PostgreSQL with plain JDBC (no
 * application invalidation at all), and the same seeded workload runs twice, in real time: once
 * with TTL only, once with {@link PgChangeCapture} publishing the database's committed changes to
 * the instances' bus. A read is stale when it returns an older version than the database had
 * committed before the read began, and stale beyond the tolerance when that newer version was
 * committed more than the tolerance before.
 *
 * <p>The rows live in a schema of their own ({@code fcsim_cdc_*}), dropped at the end with the
 * capture's slot and publication.
 */
final class CdcSimulation {

  /** What the scenario runs. */
  record Settings(
      int keys,
      double skew,
      long seed,
      int instances,
      double opsPerSecond,
      double writeRatio,
      Duration duration,
      Duration ttl,
      Duration tolerance) {

    Settings {
      if (keys < 1) {
        throw new IllegalArgumentException("--keys must be at least 1, was " + keys);
      }
      if (instances < 1) {
        throw new IllegalArgumentException("--instances must be at least 1, was " + instances);
      }
      if (!(opsPerSecond > 0)) {
        throw new IllegalArgumentException("--rate must be more than 0, was " + opsPerSecond);
      }
      if (!(writeRatio > 0 && writeRatio < 1)) {
        throw new IllegalArgumentException(
            "--write-ratio must be between 0 and 1 (exclusive), was " + writeRatio);
      }
    }

    long ops() {
      return Math.max(1, Math.round(opsPerSecond * duration.toNanos() / 1e9));
    }
  }

  /** One scenario's figures. */
  record Result(
      String scenario,
      String description,
      long reads,
      long hits,
      long loads,
      long writes,
      long stale,
      long staleBeyond,
      PropagationLag lag) {

    double hitRatio() {
      return reads == 0 ? 0 : (double) hits / reads;
    }

    double staleShare() {
      return reads == 0 ? 0 : (double) stale / reads;
    }

    double staleBeyondShare() {
      return reads == 0 ? 0 : (double) staleBeyond / reads;
    }
  }

  record Item(long id, long price, long version) {}

  private final String url;
  private final Settings settings;
  private final String schema;

  /**
   * @param url a PostgreSQL database with {@code wal_level = logical}, as a user that may create
   *     schemas, publications and replication slots
   */
  CdcSimulation(String url, Settings settings) {
    this.url = url;
    this.settings = settings;
    this.schema = "fcsim_cdc_" + Long.toString(Math.abs(new SplittableRandom().nextLong()), 36);
  }

  /** Runs TTL-only, then change capture, on the same operations. */
  List<Result> run() throws SQLException {
    List<Result> results = new ArrayList<>();
    try {
      results.add(run(false));
      results.add(run(true));
    } finally {
      cleanUp();
    }
    return results;
  }

  private Result run(boolean capture) throws SQLException {
    String table = schema + ".items";
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("create schema if not exists " + schema);
      s.execute("drop table if exists " + table);
      s.execute("create table " + table + " (id bigint primary key, price bigint, version bigint)");
      s.execute(
          "insert into "
              + table
              + " select g, 100, 1 from generate_series(0, "
              + (settings.keys() - 1)
              + ") g");
    }
    String namespace = schema.replace('_', '-') + (capture ? "-cdc" : "-ttl");
    InProcessBus bus = new InProcessBus();
    List<CacheGroup> groups = new ArrayList<>();
    List<FreshCache<Long, Item>> caches = new ArrayList<>();
    AtomicLong loads = new AtomicLong();
    PgChangeCapture cdc = null;
    CommitLag lag = null;
    try (Connection reads = DriverManager.getConnection(url);
        Connection writes = DriverManager.getConnection(url);
        PreparedStatement load =
            reads.prepareStatement("select id, price, version from " + table + " where id = ?");
        PreparedStatement write =
            writes.prepareStatement(
                "update "
                    + table
                    + " set price = price + 1, version = version + 1 where id = ? returning"
                    + " version")) {
      for (int i = 0; i < settings.instances(); i++) {
        CacheGroup g = CacheGroup.builder(namespace).instanceId("sim-" + i).bus(bus).build();
        groups.add(g);
        caches.add(
            g.cache("items", Long.class, Item.class)
                .keyPrefix("item:")
                .expiry(Expiry.ttl(settings.ttl()))
                .source(id -> load(load, id, loads))
                .build());
      }
      if (capture) {
        lag = CommitLag.attach(groups.get(0));
        cdc =
            PgChangeCapture.builder(namespace, url)
                .slot(schema)
                .bus(bus)
                .map(TableMapping.table(table).key("item:{id}"))
                .start();
        // The first start is a loss (it clears every instance): wait for it before the workload.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cdc.losses() == 0) {
          if (System.nanoTime() - until > 0) {
            throw new IllegalStateException(
                "the change capture did not start streaming within 60 s: is the database's"
                    + " wal_level logical and max_wal_senders above 0?");
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        lag.reset();
      }
      return replay(capture, caches, write, loads, lag);
    } finally {
      if (cdc != null) {
        cdc.close();
      }
      if (lag != null) {
        lag.close();
      }
      groups.forEach(CacheGroup::close);
      bus.close();
    }
  }

  private Result replay(
      boolean capture,
      List<FreshCache<Long, Item>> caches,
      PreparedStatement write,
      AtomicLong loads,
      CommitLag lag)
      throws SQLException {
    SplittableRandom random = new SplittableRandom(settings.seed());
    ZipfSampler zipf = new ZipfSampler(settings.keys(), settings.skew());
    // per key: the versions committed, with when each commit had returned (nanoTime)
    long[][] committedAt = new long[settings.keys()][];
    int[] committedCount = new int[settings.keys()];
    long tolerance = settings.tolerance().toNanos();
    long ops = settings.ops();
    long interval = Math.round(1e9 / settings.opsPerSecond());
    long reads = 0;
    long hits = 0;
    long writes = 0;
    long stale = 0;
    long beyond = 0;
    long loadsBefore = loads.get();
    long start = System.nanoTime();
    for (long op = 0; op < ops; op++) {
      long due = start + op * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int key = zipf.sample(random) - 1;
      boolean isWrite = random.nextDouble() < settings.writeRatio();
      int instance = (int) (op % caches.size());
      if (isWrite) {
        write.setLong(1, key);
        long version;
        try (ResultSet rs = write.executeQuery()) {
          rs.next();
          version = rs.getLong(1);
        }
        long at = System.nanoTime();
        if (committedAt[key] == null) {
          committedAt[key] = new long[8];
        } else if (committedCount[key] == committedAt[key].length) {
          committedAt[key] = java.util.Arrays.copyOf(committedAt[key], committedCount[key] * 2);
        }
        committedAt[key][committedCount[key]++] = at;
        // version 1 is the initial row; write n (1-based) commits version n + 1
        if (version != committedCount[key] + 1) {
          throw new IllegalStateException(
              "item "
                  + key
                  + " is at version "
                  + version
                  + ", expected "
                  + (committedCount[key] + 1)
                  + ": did something else write the simulation's table?");
        }
        writes++;
        continue;
      }
      long began = System.nanoTime();
      FreshCache<Long, Item> cache = caches.get(instance);
      Item held = cache.getIfPresent((long) key);
      Item read = held != null ? held : cache.get((long) key);
      reads++;
      if (held != null) {
        hits++;
      }
      long newest = 1 + committedCount[key]; // every write committed before this read began
      long newestBeyond =
          1 + committedBefore(committedAt[key], committedCount[key], began - tolerance);
      if (read.version() < newest) {
        stale++;
      }
      if (read.version() < newestBeyond) {
        beyond++;
      }
    }
    return new Result(
        capture ? "cdc" : "ttl-only",
        capture
            ? "TTL "
                + Format.duration(settings.ttl().toNanos())
                + " + change capture from PostgreSQL"
            : "TTL " + Format.duration(settings.ttl().toNanos()) + ", nothing else",
        reads,
        hits,
        loads.get() - loadsBefore,
        writes,
        stale,
        beyond,
        lag == null ? null : lag.snapshot());
  }

  /** How many of a key's commits had returned by {@code nanos}. */
  private static int committedBefore(long[] at, int count, long nanos) {
    int n = count;
    while (n > 0 && at[n - 1] - nanos > 0) {
      n--;
    }
    return n;
  }

  private static Item load(PreparedStatement load, long id, AtomicLong loads) throws SQLException {
    loads.incrementAndGet();
    synchronized (load) {
      load.setLong(1, id);
      try (ResultSet rs = load.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no item " + id);
        }
        return new Item(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  private void cleanUp() {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(
          "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name ="
              + " '"
              + schema
              + "'");
      s.execute("drop publication if exists " + schema);
      s.execute("drop schema if exists " + schema + " cascade");
    } catch (SQLException e) {
      System.err.println(
          "freshcache: could not drop the simulation's schema "
              + schema
              + ", its replication slot and publication ("
              + e.getMessage()
              + "): drop them by hand, the slot holds WAL back");
    }
  }
}
