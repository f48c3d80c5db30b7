package io.freshcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * A diagnostic beside {@link HitBenchmark}: raw Caffeine configured step by step like the store
 * inside freshcache's in-process tier, to tell how much of a hit's cost comes from how Caffeine is
 * configured and how much from freshcache's own work around it. Same keys and reads as {@link
 * HitBenchmark}.
 *
 * <ul>
 *   <li>{@code caffeine_getIfPresent}: the peer, Caffeine's defaults (maintenance on the common
 *       pool);
 *   <li>{@code caffeine_halfFull}: the peer holding the same keys with a maximum of twice their
 *       number. Caffeine records reads (frequency sketch, LRU order) only once a size-bounded cache
 *       is half full; below that, a cache without expiry skips its read buffer entirely, which is
 *       the case of the peer in {@link HitBenchmark} (10,000 keys, maximum 100,000);
 *   <li>{@code caffeine_inlineMaintenance}: maintenance on the reading thread ({@code
 *       executor(Runnable::run)}), as freshcache's store has it;
 *   <li>{@code caffeine_variableExpiry}: a per-entry expiry ({@code expireAfter}), maintenance on
 *       the common pool;
 *   <li>{@code caffeine_inlineMaintenanceVariableExpiry}: maintenance on the reading thread, a
 *       per-entry expiry and a removal listener: the store's whole configuration;
 *   <li>{@code freshcache_getIfPresent}: freshcache itself (filled by puts; it has no source).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(1)
public class HitCostBreakdownBenchmark {

  private static final int MAXIMUM_SIZE = 100_000;
  private static final long TTL_NANOS = TimeUnit.HOURS.toNanos(1);

  private Cache<Integer, String> caffeine;
  private Cache<Integer, String> halfFull;
  private Cache<Integer, String> inlineMaintenance;
  private Cache<Integer, String> variableExpiry;
  private Cache<Integer, String> inlineMaintenanceVariableExpiry;
  private FreshCache<Integer, String> freshcache;

  @Setup(Level.Trial)
  public void setUp() {
    caffeine = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
    halfFull = Caffeine.newBuilder().maximumSize(2 * HitBenchmark.KEYS).build();
    inlineMaintenance =
        Caffeine.newBuilder().executor(Runnable::run).maximumSize(MAXIMUM_SIZE).build();
    variableExpiry =
        Caffeine.newBuilder()
            .maximumSize(MAXIMUM_SIZE)
            .expireAfter(Expiry.<Integer, String>writing((key, value) -> Duration.ofHours(1)))
            .build();
    inlineMaintenanceVariableExpiry =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .maximumSize(MAXIMUM_SIZE)
            .expireAfter(Expiry.<Integer, String>writing((key, value) -> Duration.ofHours(1)))
            .removalListener((Integer key, String value, RemovalCause cause) -> {})
            .build();
    freshcache =
        FreshCache.builder("hit-breakdown", Integer.class, String.class)
            .maximumSize(MAXIMUM_SIZE)
            .expiry(io.freshcache.Expiry.ttl(Duration.ofNanos(TTL_NANOS)))
            .build();
    for (int i = 0; i < HitBenchmark.KEYS; i++) {
      String value = "value-" + i;
      caffeine.put(i, value);
      halfFull.put(i, value);
      inlineMaintenance.put(i, value);
      variableExpiry.put(i, value);
      inlineMaintenanceVariableExpiry.put(i, value);
      freshcache.put(i, value);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (freshcache.analytics().stats().misses() != 0) {
      throw new IllegalStateException("reads missed: " + freshcache.analytics().stats());
    }
    freshcache.close();
  }

  @Benchmark
  public String caffeine_getIfPresent(HitBenchmark.Reader reader) {
    return caffeine.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_halfFull(HitBenchmark.Reader reader) {
    return halfFull.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_inlineMaintenance(HitBenchmark.Reader reader) {
    return inlineMaintenance.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_variableExpiry(HitBenchmark.Reader reader) {
    return variableExpiry.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_inlineMaintenanceVariableExpiry(HitBenchmark.Reader reader) {
    return inlineMaintenanceVariableExpiry.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String freshcache_getIfPresent(HitBenchmark.Reader reader) {
    return freshcache.getIfPresent(reader.keys.next());
  }
}
