package io.freshcache.cli.simulate;

import io.freshcache.FreshCache;
import io.freshcache.FreshCacheBuilder;
import io.freshcache.stats.CacheStats;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Replays one workload against one strategy at a time and measures the outcome.
 *
 * <p>Each {@link #run} starts from the same place: the database reset to its seeded rows, a fresh
 * {@link VirtualClock} at zero, fresh caches and the same {@link Trace}. One thread, the caller's,
 * issues the operations in order. A {@link TimeStrategy} runs on one cache: before each operation
 * the clock moves by {@link Workload#nanosPerOp()}; a write updates its row in the database, behind
 * the cache's back; a read calls {@link FreshCache#get} (or, for {@code no-cache}, the source) and
 * is timed in real time. Background reloads run on a {@link RefreshExecutor} between operations. An
 * {@link InvalidationStrategy} runs on several instances, as {@link ClusterReplay} describes.
 *
 * <p>Not thread-safe: one run at a time.
 */
final class Simulator implements AutoCloseable {

  /** A read of one key: the cache's get, or the source itself. */
  @FunctionalInterface
  private interface Reader {
    Product read(Long id) throws Exception;
  }

  /** Operations per strategy in {@link #warmUp}: enough for the JIT to compile the read paths. */
  private static final int WARM_UP_OPS = 20_000;

  /**
   * The fewest operations per invalidation strategy in {@link #warmUp}. They read through the same
   * cache code, so together they need only {@link #WARM_UP_OPS}; each still runs this many, to
   * compile its own write path.
   */
  private static final int MIN_WARM_UP_OPS = 5_000;

  private final Workload workload;
  private final Trace trace;
  private final ProductDatabase database;
  private final ClusterReplay clusterReplay;

  /**
   * Draws the workload's trace and creates its database; multi-instance runs share an in-process
   * bus.
   *
   * @throws SQLException if the database cannot be created
   */
  Simulator(Workload workload) throws SQLException {
    this(workload, Transport.IN_PROCESS);
  }

  /**
   * Draws the workload's trace and creates its database; multi-instance runs connect their
   * instances with {@code transport}.
   *
   * @throws SQLException if the database cannot be created
   */
  Simulator(Workload workload, Transport transport) throws SQLException {
    this.workload = workload;
    this.trace = Trace.of(workload);
    this.database = ProductDatabase.create(workload.keys(), workload.seed());
    this.clusterReplay = new ClusterReplay(transport);
  }

  /**
   * Runs each strategy over a short version of {@code workload} and discards the results, so that
   * the JIT compiler has compiled the read paths before any strategy is timed, not only before the
   * later ones: each time-based strategy over {@link #WARM_UP_OPS} operations, the invalidation
   * strategies over as many together, but at least {@link #MIN_WARM_UP_OPS} each, on {@code
   * transport} (so that its client code is compiled too). On no more keys than operations: so few
   * operations read no more, and a database of every key, two of them at once, would only cost
   * memory and time before the real run creates its own. Never paced: what it measures is thrown
   * away, so it need not take real time.
   */
  static void warmUp(Workload workload, List<Strategy> strategies, Transport transport)
      throws Exception {
    long invalidation = strategies.stream().filter(s -> s instanceof InvalidationStrategy).count();
    int clusterOps = (int) Math.max(MIN_WARM_UP_OPS, WARM_UP_OPS / Math.max(1, invalidation));
    try (Simulator alone = new Simulator(shortened(workload, WARM_UP_OPS));
        Simulator cluster = new Simulator(shortened(workload, clusterOps), transport)) {
      for (Strategy strategy : strategies) {
        (strategy instanceof InvalidationStrategy ? cluster : alone).run(strategy);
      }
    }
  }

  /** {@code workload} over at most {@code ops} operations, on at most as many keys. */
  private static Workload shortened(Workload workload, int ops) {
    int fewer = Math.min(workload.ops(), ops);
    return workload.withOps(fewer).withKeys(Math.min(workload.keys(), fewer)).withPaced(false);
  }

  /** The operations every run replays. */
  Trace trace() {
    return trace;
  }

  /**
   * Runs the whole trace against {@code strategy}.
   *
   * @throws SQLException if the database fails outside a simulated outage
   * @throws RuntimeException if the cache fails in a way no simulated outage explains
   */
  StrategyResult run(Strategy strategy) throws Exception {
    if (strategy instanceof TimeStrategy time) {
      return run(time);
    }
    if (strategy instanceof InvalidationStrategy invalidation) {
      return run(invalidation);
    }
    throw new IllegalArgumentException("no such kind of strategy: " + strategy);
  }

  /**
   * Runs the whole trace against a time-based {@code strategy}, on one cache; see {@link
   * #run(Strategy)}.
   */
  TimeResult run(TimeStrategy strategy) throws Exception {
    return runAlone(Run.start(strategy, workload, trace, database));
  }

  /**
   * Runs the whole trace against an invalidation {@code strategy}, on several instances; see {@link
   * #run(Strategy)}.
   */
  ClusterResult run(InvalidationStrategy strategy) throws Exception {
    return clusterReplay.run(Run.start(strategy, workload, trace, database));
  }

  private static TimeResult runAlone(Run<TimeStrategy> run) throws Exception {
    TimeStrategy strategy = run.strategy();
    Workload workload = run.workload();
    Trace trace = run.trace();
    ProductDatabase database = run.database();
    VirtualClock clock = run.clock();
    ProductSource source = run.source();
    Truth truth = new Truth(workload.toleranceNanos());
    String[] names = ClusterReplay.keyNames(workload.keys());
    Histogram latency = new Histogram(3);
    long reads = 0;
    long staleReads = 0;
    long errors = 0;
    long outageFrom = -1;
    long outageTo = -1;

    try (RefreshExecutor executor = new RefreshExecutor(strategy.cacheName() + "-refresh");
        FreshCache<Long, Product> cache = build(run, executor)) {
      Reader reader = cache == null ? source::load : cache::get;
      for (int i = 0; i < trace.size(); i++) {
        if (workload.hasOutage() && i == workload.outageFromOp()) {
          source.down(true);
          outageFrom = clock.read();
        } else if (workload.hasOutage() && i == workload.outageToOp()) {
          source.down(false);
          outageTo = clock.read();
        }
        clock.advance(workload.nanosPerOp());
        int key = (int) trace.key(i);
        if (trace.isWrite(i)) {
          database.updatePrice(key, trace.newPrice(i));
          truth.commit(names[key], clock.read());
          continue;
        }
        reads++;
        Product product = null;
        long virtualStart = clock.read();
        long start = System.nanoTime();
        try {
          product = reader.read((long) key);
        } catch (Exception e) {
          if (!ProductSource.isOutage(e)) {
            throw e;
          }
          errors++;
        }
        latency.recordValue(System.nanoTime() - start);
        if (product != null && truth.staleness(names[key], product.version(), virtualStart) > 0) {
          staleReads++;
        }
        executor.runHeld();
      }
      if (workload.hasOutage() && outageTo < 0) {
        source.down(false);
        outageTo = clock.read();
      }
      Optional<CacheStats> stats =
          cache == null ? Optional.empty() : Optional.of(cache.analytics().stats());
      long hits = stats.map(s -> s.hits() + s.staleHits()).orElse(0L);
      Measurements measured =
          new Measurements(
              reads,
              hits,
              source.loads(),
              staleReads,
              errors,
              Measurements.Latency.of(latency),
              clock.read());
      Optional<TimeResult.Outage> outage =
          workload.hasOutage()
              ? Optional.of(new TimeResult.Outage(outageFrom, outageTo))
              : Optional.empty();
      return new TimeResult(strategy, measured, stats, outage);
    }
  }

  /** The strategy's cache on the run's source, or {@code null} for {@code no-cache}. */
  private static FreshCache<Long, Product> build(Run<TimeStrategy> run, RefreshExecutor executor) {
    TimeStrategy strategy = run.strategy();
    if (!strategy.usesCache()) {
      return null;
    }
    // One stream per strategy, drawn on the reader's thread or on the refresh thread while the
    // reader waits in runHeld: never by two threads at once.
    SplittableRandom random = run.cacheRandom();
    FreshCacheBuilder<Long, Product> builder =
        FreshCache.builder(strategy.cacheName(), Long.class, Product.class)
            .source(run.source())
            .ticker(run.clock())
            .executor(executor);
    return strategy.configure(builder, random::nextDouble).build();
  }

  /** Drops the database. */
  @Override
  public void close() throws SQLException {
    database.close();
  }
}
