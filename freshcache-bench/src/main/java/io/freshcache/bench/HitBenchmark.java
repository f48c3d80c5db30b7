package io.freshcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.stats.CacheStats;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The in-process hit path against its peer, raw Caffeine {@code getIfPresent}, in the same run (the
 * target: freshcache should reach at least 0.8 times the peer's throughput).
 *
 * <p>Both caches hold the same {@value #KEYS} keys and values, well under their maximum size and
 * TTL, so every read is a hit. Each thread reads its own precomputed cycle of boxed keys.
 *
 * <p>Note on the peer: at 10,000 keys under a maximum of 100,000 the Caffeine cache is less than
 * half full, and Caffeine does not record reads (no read buffer, no frequency sketch) until a
 * size-bounded cache without expiry is half full, so the peer's hits are as cheap as Caffeine's get
 * ever is. {@link HitCostBreakdownBenchmark} also measures a half-full peer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(1)
public class HitBenchmark {

  static final int KEYS = 10_000;
  private static final int MAXIMUM_SIZE = 100_000;

  private FreshCache<Integer, String> freshcache;
  private Cache<Integer, String> caffeine;

  /**
   * Caffeine as a user would configure it for the same job: a size bound and a time to live, more
   * than half full (10,000 keys under 15,000) so that it records reads as a warmed-up cache does.
   */
  private Cache<Integer, String> caffeineWithTtl;

  /** One thread's keys. */
  @State(Scope.Thread)
  public static class Reader {

    @Param({"uniform", "zipf"})
    String distribution;

    KeySequence keys;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      keys = KeySequence.of(distribution, KEYS, 1 << 16, 31L * thread.getThreadIndex() + 7);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    String[] values = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      values[i] = "value-" + i;
    }
    freshcache =
        FreshCache.builder("hit", Integer.class, String.class)
            .maximumSize(MAXIMUM_SIZE)
            .expiry(Expiry.ttl(Duration.ofHours(1)))
            .source(key -> values[key])
            .build();
    caffeine = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
    caffeineWithTtl =
        Caffeine.newBuilder()
            .maximumSize(KEYS + KEYS / 2)
            .expireAfterWrite(Duration.ofHours(1))
            .build();
    for (int i = 0; i < KEYS; i++) {
      freshcache.get(i); // read-through: the source fills the entry
      caffeine.put(i, values[i]);
      caffeineWithTtl.put(i, values[i]);
    }
    for (int i = 0; i < KEYS; i++) {
      if (freshcache.getIfPresent(i) == null
          || caffeine.getIfPresent(i) == null
          || caffeineWithTtl.getIfPresent(i) == null) {
        throw new IllegalStateException("key " + i + " is not cached after the fill");
      }
    }
  }

  /** Fails the run if any measured read missed: the benchmark would not measure hits then. */
  @TearDown(Level.Trial)
  public void tearDown() {
    CacheStats stats = freshcache.analytics().stats();
    if (stats.misses() != KEYS
        || stats.staleHits() != 0
        || caffeine.estimatedSize() != KEYS
        || caffeineWithTtl.estimatedSize() != KEYS) {
      throw new IllegalStateException("reads missed during the run: " + stats);
    }
    freshcache.close();
  }

  @Benchmark
  public String freshcache_get(Reader reader) {
    return freshcache.get(reader.keys.next());
  }

  @Benchmark
  public String freshcache_getIfPresent(Reader reader) {
    return freshcache.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_getIfPresent(Reader reader) {
    return caffeine.getIfPresent(reader.keys.next());
  }

  /** The peer the hit's target is set against: a size bound plus {@code expireAfterWrite}. */
  @Benchmark
  public String caffeine_expireAfterWrite(Reader reader) {
    return caffeineWithTtl.getIfPresent(reader.keys.next());
  }
}
