package io.freshcache.cli.simulate;

import io.freshcache.FreshCache;
import io.freshcache.stats.CacheStats;
import io.freshcache.stats.GroupStats;
import io.freshcache.stats.PropagationLag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Replays the trace against one {@link InvalidationStrategy} on a {@link Cluster} of {@link
 * Workload#instances()} instances.
 *
 * <p>Operation {@code i} runs on instance {@code i % instances}, one operation at a time, on the
 * caller's thread; before each, the virtual clock moves by {@link Workload#nanosPerOp()} ({@link
 * Pace}: when the workload is paced, once real time has reached that moment, the clock then
 * following real time). A write gives its product a new price at the next version and goes through
 * the strategy's write path on that instance; once it returns, that version is committed, at that
 * moment. A read gets the product from that instance's cache (and, for {@code dependency}, its
 * category's summary); it is stale if it returns an older version than the one committed {@link
 * Workload#toleranceNanos()} before it began ({@link Truth}). There is no outage: the write paths
 * would fail or retry through it, which is another comparison.
 *
 * <p>At the end the instances are closed, flushing write-behind, and the database is checked to
 * hold every acknowledged write.
 */
final class ClusterReplay {

  private final Transport transport;

  /** Replays on instances that {@code transport} connects. */
  ClusterReplay(Transport transport) {
    this.transport = transport;
  }

  /**
   * Replays the whole trace of {@code run}, which has just {@linkplain Run#start started}.
   *
   * @throws Exception if the database or a cache fails: nothing here is expected to
   */
  ClusterResult run(Run<InvalidationStrategy> run) throws Exception {
    InvalidationStrategy strategy = run.strategy();
    Workload workload = run.workload();
    Trace trace = run.trace();
    ProductDatabase database = run.database();
    VirtualClock clock = run.clock();
    ProductSource source = run.source();
    Categories categories = database.categories();
    long[] current = new long[workload.keys() + 1];
    Arrays.fill(current, 1);
    Truth truth = new Truth(workload.toleranceNanos());
    String[] names = keyNames(workload.keys());
    Pace pace = new Pace(clock, workload.paced());
    Histogram latency = new Histogram(3);
    long reads = 0;
    long hits = 0;
    long staleReads = 0;
    long writes = 0;
    long rowsWritten = 0;
    long summaryReads = 0;
    long summaryHits = 0;
    long summaryStaleReads = 0;
    long realNanos;

    Cluster cluster = new Cluster(run, transport);
    try {
      pace.start(); // once connected: time zero of the pace
      for (int i = 0; i < trace.size(); i++) {
        pace.moveTo(clock.read() + workload.nanosPerOp());
        Instance at = cluster.instance(i % cluster.size());
        int key = (int) trace.key(i);
        if (trace.isWrite(i)) {
          Product next =
              new Product(key, ProductDatabase.nameOf(key), trace.newPrice(i), current[key] + 1);
          for (long id : strategy.write(at, next)) {
            current[(int) id]++;
            truth.commit(names[(int) id], clock.read());
            rowsWritten++;
          }
          writes++;
          continue;
        }
        reads++;
        long loads = source.loads();
        long virtualStart = clock.read();
        long start = System.nanoTime();
        Product product = at.products().get((long) key);
        latency.recordValue(System.nanoTime() - start);
        hits += source.loads() == loads ? 1 : 0;
        staleReads += truth.staleness(names[key], product.version(), virtualStart) > 0 ? 1 : 0;
        if (at.summaries() != null) {
          summaryReads++;
          long computed = at.summaryLoads();
          virtualStart = clock.read();
          start = System.nanoTime();
          CategorySummary summary = at.summaries().get(categories.categoryOf(key));
          latency.recordValue(System.nanoTime() - start);
          summaryHits += at.summaryLoads() == computed ? 1 : 0;
          summaryStaleReads += summary.isStale(truth, names, virtualStart) ? 1 : 0;
        }
      }
      realNanos = pace.realNanos();
    } finally {
      cluster.close();
    }

    long[] stored = database.versions();
    long rowsBehind = 0;
    for (int id = 1; id < current.length; id++) {
      rowsBehind += stored[id] < current[id] ? 1 : 0;
    }
    List<CacheStats> productStats = new ArrayList<>();
    List<Long> handlerCalls = new ArrayList<>();
    long busMessages = 0;
    long cascaded = 0;
    long versionConflicts = 0;
    long summaryLoads = 0;
    List<PropagationLag> lags = new ArrayList<>();
    long losses = 0;
    long suspensions = 0;
    for (Instance instance : cluster.instances()) {
      CacheStats stats = instance.products().analytics().stats();
      productStats.add(stats);
      versionConflicts += stats.versionConflicts();
      FreshCache<Long, CategorySummary> summaries = instance.summaries();
      if (summaries != null) {
        versionConflicts += summaries.analytics().stats().versionConflicts();
      }
      handlerCalls.add(instance.handlerCalls());
      GroupStats group = instance.group().stats();
      busMessages += group.published();
      cascaded += group.cascaded();
      lags.add(group.lag());
      losses += group.losses();
      suspensions += group.suspensions();
      summaryLoads += instance.summaryLoads();
    }
    CacheStats products = sum(productStats);
    ClusterStats details =
        new ClusterStats(
            cluster.size(),
            writes,
            rowsWritten,
            strategy.publishesEvents() ? writes : 0,
            handlerCalls,
            busMessages,
            cascaded,
            versionConflicts,
            products.writesFlushed(),
            cluster.writer().superseded(),
            rowsBehind,
            summaryReads,
            summaryHits,
            summaryStaleReads,
            summaryLoads,
            realNanos,
            transport.redis(),
            lags,
            losses,
            suspensions,
            workload.paced(),
            workload.toleranceNanos(),
            pace.maxBehindNanos());
    Measurements measured =
        new Measurements(
            reads + summaryReads,
            hits + summaryHits,
            source.loads(),
            staleReads + summaryStaleReads,
            0,
            Measurements.Latency.of(latency),
            clock.read());
    return new ClusterResult(strategy, measured, products, details);
  }

  /** The name of every product's key, by id from 1, as {@link Truth} records them. */
  static String[] keyNames(int keys) {
    String[] names = new String[keys + 1];
    for (int id = 1; id <= keys; id++) {
      names[id] = "product:" + id;
    }
    return names;
  }

  /** The counters of several caches added up. */
  static CacheStats sum(List<CacheStats> all) {
    CacheStats total = CacheStats.empty();
    for (CacheStats s : all) {
      total = total.plus(s);
    }
    return total;
  }
}
