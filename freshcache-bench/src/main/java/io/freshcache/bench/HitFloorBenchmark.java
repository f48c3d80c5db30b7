package io.freshcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshcache.Expiry;
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
 * A diagnostic beside {@link HitBenchmark}: what any cache that judges freshness per entry must do
 * on a hit, added one step at a time to {@link HitBenchmark}'s raw peer (Caffeine {@code
 * maximumSize(100_000)} holding 10,000 keys, so it records no reads), to tell how close to the raw
 * peer such a hit can get at all. Same keys and reads as {@link HitBenchmark}.
 *
 * <ul>
 *   <li>{@code caffeine_getIfPresent}: the raw peer;
 *   <li>{@code caffeine_clockRead}: + one {@code System.nanoTime()} per hit, compared with a
 *       deadline (what judging freshness needs);
 *   <li>{@code caffeine_holder}: the value held in a small object with its deadline, read through
 *       it (what keeping per-entry freshness beside the value needs), no clock read;
 *   <li>{@code caffeine_holderClockRead}: both, the floor of a per-entry freshness check with one
 *       clock read;
 *   <li>{@code freshcache_get}: freshcache's hit as {@link HitBenchmark} measures it.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
public class HitFloorBenchmark {

  private static final int MAXIMUM_SIZE = 100_000;

  /** What {@code caffeine_holder} stores: the value and the moment it stops being fresh. */
  static final class Holder {
    final String value;
    final long freshUntil;

    Holder(String value, long freshUntil) {
      this.value = value;
      this.freshUntil = freshUntil;
    }
  }

  private Cache<Integer, String> raw;
  private Cache<Integer, Holder> holders;
  private FreshCache<Integer, String> freshcache;
  private long deadline;

  @Setup(Level.Trial)
  public void setUp() {
    deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
    raw = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
    holders = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
    String[] values = new String[HitBenchmark.KEYS];
    for (int i = 0; i < HitBenchmark.KEYS; i++) {
      values[i] = "value-" + i;
      raw.put(i, values[i]);
      holders.put(i, new Holder(values[i], deadline));
    }
    freshcache =
        FreshCache.builder("hit-floor", Integer.class, String.class)
            .maximumSize(MAXIMUM_SIZE)
            .expiry(Expiry.ttl(Duration.ofHours(1)))
            .source(key -> values[key])
            .build();
    for (int i = 0; i < HitBenchmark.KEYS; i++) {
      freshcache.get(i);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (freshcache.analytics().stats().misses() != HitBenchmark.KEYS) {
      throw new IllegalStateException("reads missed: " + freshcache.analytics().stats());
    }
    freshcache.close();
  }

  @Benchmark
  public String caffeine_getIfPresent(HitBenchmark.Reader reader) {
    return raw.getIfPresent(reader.keys.next());
  }

  @Benchmark
  public String caffeine_clockRead(HitBenchmark.Reader reader) {
    String value = raw.getIfPresent(reader.keys.next());
    return System.nanoTime() < deadline ? value : null;
  }

  @Benchmark
  public String caffeine_holder(HitBenchmark.Reader reader) {
    Holder holder = holders.getIfPresent(reader.keys.next());
    return holder != null && holder.freshUntil > deadline - 1 ? holder.value : null;
  }

  @Benchmark
  public String caffeine_holderClockRead(HitBenchmark.Reader reader) {
    Holder holder = holders.getIfPresent(reader.keys.next());
    return holder != null && System.nanoTime() < holder.freshUntil ? holder.value : null;
  }

  @Benchmark
  public String freshcache_get(HitBenchmark.Reader reader) {
    return freshcache.get(reader.keys.next());
  }
}
