package io.freshcache.bench;

import io.freshcache.CacheGroup;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.redis.RedisBus;
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
 * What each feature costs a hit: the same keys and reads as {@link HitBenchmark}, on caches that
 * differ from the plain one ({@code Expiry.ttl} with jitter) by one feature each (the target: each
 * within 0.7 times the plain hit).
 *
 * <ul>
 *   <li>{@code freshcache_plain}: {@code Expiry.ttl(1 h).jitter(0.2)};
 *   <li>{@code freshcache_tags}: every entry carries two tags, and a tag was invalidated after the
 *       fill, so each hit looks its tags up (the worst case: with no tag invalidated since an
 *       entry's write, the hit skips the lookup);
 *   <li>{@code freshcache_sliding}: {@code Expiry.sliding(1 h, cap 2 h)};
 *   <li>{@code freshcache_adaptive}: {@code Expiry.adaptive(1 h)} (each read counted for the key's
 *       rate);
 *   <li>{@code freshcache_group}: the plain cache in a group on a {@code RedisBus} (the Redis at
 *       {@code freshcache.redis.uri}, default 127.0.0.1:6379, namespace {@code fcbench-features}):
 *       each hit checks the bus's staleness bound.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
public class FeatureHitBenchmark {

  private static final int KEYS = HitBenchmark.KEYS;
  private static final int MAXIMUM_SIZE = KEYS + KEYS / 2;
  private static final Duration TTL = Duration.ofHours(1);
  private static final String URI =
      System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");

  private FreshCache<Integer, String> plain;
  private FreshCache<Integer, String> tagged;
  private FreshCache<Integer, String> sliding;
  private FreshCache<Integer, String> adaptive;
  private CacheGroup tagGroup;
  private CacheGroup busGroup;
  private FreshCache<Integer, String> grouped;

  @Setup(Level.Trial)
  public void setUp() {
    plain = cache(FreshCache.builder("plain", Integer.class, String.class), jittered());
    tagGroup = CacheGroup.builder("fcbench-tags").build();
    tagged =
        tagGroup
            .cache("tagged", Integer.class, String.class)
            .maximumSize(MAXIMUM_SIZE)
            .expiry(jittered())
            .tags((key, value) -> Tags.of("shard:" + (key % 64), "all"))
            .source(key -> "value-" + key)
            .build();
    sliding =
        cache(
            FreshCache.builder("sliding", Integer.class, String.class),
            Expiry.sliding(TTL, TTL.multipliedBy(2)));
    adaptive =
        cache(FreshCache.builder("adaptive", Integer.class, String.class), Expiry.adaptive(TTL));
    busGroup =
        CacheGroup.builder("fcbench-features")
            .bus(RedisBus.builder(URI).keyPrefix("fcbench"))
            .build();
    grouped =
        busGroup
            .cache("grouped", Integer.class, String.class)
            .maximumSize(MAXIMUM_SIZE)
            .expiry(jittered())
            .source(key -> "value-" + key)
            .build();
    for (int i = 0; i < KEYS; i++) {
      plain.get(i);
      tagged.get(i);
      sliding.get(i);
      adaptive.get(i);
      grouped.get(i);
    }
    tagGroup.invalidateTag("unrelated"); // from now on every tagged hit looks its tags up
  }

  private static Expiry<Integer, String> jittered() {
    return Expiry.<Integer, String>ttl(TTL).jitter(0.2);
  }

  private static FreshCache<Integer, String> cache(
      io.freshcache.FreshCacheBuilder<Integer, String> builder, Expiry<Integer, String> expiry) {
    return builder.maximumSize(MAXIMUM_SIZE).expiry(expiry).source(key -> "value-" + key).build();
  }

  /** Fails the run if a measured read missed: it would not measure hits then. */
  @TearDown(Level.Trial)
  public void tearDown() {
    for (FreshCache<Integer, String> cache : new FreshCache[] {plain, tagged, sliding, adaptive}) {
      if (cache.analytics().stats().misses() != KEYS) {
        throw new IllegalStateException("reads missed: " + cache + " " + cache.analytics().stats());
      }
      cache.close();
    }
    long groupedMisses = grouped.analytics().stats().misses();
    tagGroup.close();
    busGroup.close();
    RedisKeys.deleteMatching(URI, "fcbench:{fcbench-features}:*");
    if (groupedMisses != KEYS) {
      throw new IllegalStateException(
          "the grouped cache missed "
              + (groupedMisses - KEYS)
              + " reads (the bus suspended hits?)");
    }
  }

  @Benchmark
  public String freshcache_plain(HitBenchmark.Reader reader) {
    return plain.get(reader.keys.next());
  }

  @Benchmark
  public String freshcache_tags(HitBenchmark.Reader reader) {
    return tagged.get(reader.keys.next());
  }

  @Benchmark
  public String freshcache_sliding(HitBenchmark.Reader reader) {
    return sliding.get(reader.keys.next());
  }

  @Benchmark
  public String freshcache_adaptive(HitBenchmark.Reader reader) {
    return adaptive.get(reader.keys.next());
  }

  @Benchmark
  public String freshcache_group(HitBenchmark.Reader reader) {
    return grouped.get(reader.keys.next());
  }
}
