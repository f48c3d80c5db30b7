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
 * A diagnostic beside {@link HitBenchmark}: raw Caffeine configured step by step, from the
 * yardstick a user would write for the job ({@code maximumSize} + {@code expireAfterWrite}, more
 * than half full so reads are recorded) towards what a cache store can need (maintenance on the
 * reading thread, a removal listener, a per-entry expiry), to tell what each setting costs a hit.
 * Same keys and reads as {@link HitBenchmark}.
 *
 * <ul>
 *   <li>{@code caffeine_expireAfterWrite}: the yardstick, maintenance on the common pool;
 *   <li>{@code caffeine_inlineMaintenance}: + {@code executor(Runnable::run)};
 *   <li>{@code caffeine_inlineMaintenanceListener}: + a removal listener;
 *   <li>{@code caffeine_variableExpiry}: a per-entry expiry ({@code expireAfter}) instead of {@code
 *       expireAfterWrite}, maintenance on the common pool;
 *   <li>{@code caffeine_inlineMaintenanceVariableExpiry}: per-entry expiry, maintenance on the
 *       reading thread and a removal listener;
 *   <li>{@code freshcache_getIfPresent}: freshcache itself, {@code Expiry.ttl} (filled by puts).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(1)
public class HitCostBreakdownBenchmark {

  /** More than half full, as {@link HitBenchmark}'s yardstick: Caffeine records every read. */
  private static final int MAXIMUM_SIZE = HitBenchmark.KEYS + HitBenchmark.KEYS / 2;

  private static final Duration TTL = Duration.ofHours(1);

  private Cache<Integer, String> expireAfterWrite;
  private Cache<Integer, String> inlineMaintenance;
  private Cache<Integer, String> inlineMaintenanceListener;
  private Cache<Integer, String> variableExpiry;
  private Cache<Integer, String> inlineMaintenanceVariableExpiry;
  private FreshCache<Integer, String> freshcache;

  @Setup(Level.Trial)
  public void setUp() {
    expireAfterWrite =
        Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).expireAfterWrite(TTL).build();
    inlineMaintenance =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .maximumSize(MAXIMUM_SIZE)
            .expireAfterWrite(TTL)
            .build();
    inlineMaintenanceListener =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .maximumSize(MAXIMUM_SIZE)
            .expireAfterWrite(TTL)
            .removalListener((Integer key, String value, RemovalCause cause) -> {})
            .build();
    variableExpiry =
        Caffeine.newBuilder()
            .maximumSize(MAXIMUM_SIZE)
            .expireAfter(Expiry.<Integer, String>writing((key, value) -> TTL))
            .build();
    inlineMaintenanceVariableExpiry =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .maximumSize(MAXIMUM_SIZE)
            .expireAfter(Expiry.<Integer, String>writing((key, value) -> TTL))
            .removalListener((Integer key, String value, RemovalCause cause) -> {})
            .build();
    freshcache =
        FreshCache.builder("hit-breakdown", Integer.class, String.class)
            .maximumSize(MAXIMUM_SIZE)
            .expiry(io.freshcache.Expiry.ttl(TTL))
            .build();
    for (int i = 0; i < HitBenchmark.KEYS; i++) {
      String value = "value-" + i;
      expireAfterWrite.put(i, value);
      inlineMaintenance.put(i, value);
      inlineMaintenanceListener.put(i, value);
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
  public String caffeine_expireAfterWrite(HitBenchmark.Reader reader) {
    return expireAfterWrite.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_inlineMaintenance(HitBenchmark.Reader reader) {
    return inlineMaintenance.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_inlineMaintenanceListener(HitBenchmark.Reader reader) {
    return inlineMaintenanceListener.getIfPresent(reader.keys.next());
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
