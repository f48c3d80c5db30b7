package io.freshcache.bench;

import com.alicp.jetcache.MultiLevelCacheBuilder;
import com.alicp.jetcache.embedded.CaffeineCacheBuilder;
import com.alicp.jetcache.redis.lettuce.RedisLettuceCacheBuilder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.redisson.Redisson;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The in-process hit against the peers a Java team would otherwise pick, in one run: 100,000 String
 * keys, all hits, each configured as its documentation suggests for a size-bounded cache with a
 * one-hour time to live. Redisson's {@code RLocalCachedMap} and JetCache's two-level cache
 * (Caffeine in front of Redis through Lettuce) need the Redis at {@code freshcache.redis.uri}
 * (default 127.0.0.1:6379); only their local hits are measured here, and the keys they write there
 * carry the prefix {@code fcbench:} and are deleted after the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PeerHitBenchmark {

  static final int KEYS = 100_000;
  private static final int MAXIMUM_SIZE = 150_000;
  private static final Duration TTL = Duration.ofHours(1);
  private static final String URI =
      System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");
  private static final String REDISSON_MAP = "fcbench:redisson";
  private static final String JETCACHE_PREFIX = "fcbench:jetcache:";

  private String measured;
  private String[] keys;
  private FreshCache<String, String> freshcache;
  private Cache<String, String> caffeine;
  private Cache<String, String> caffeineWithTtl;
  private RedissonClient redisson;
  private RLocalCachedMap<String, String> redissonMap;
  private RedisClient jetcacheRedis;
  private com.alicp.jetcache.Cache<String, String> jetcache;

  /** One thread's keys, in random order. */
  @State(Scope.Thread)
  public static class Reader {
    @Param({"uniform"})
    String distribution;

    KeySequence order;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      order = KeySequence.of(distribution, KEYS, 1 << 18, 31L * thread.getThreadIndex() + 11);
    }
  }

  /**
   * Builds and fills only the library the running method measures: filling Redisson and JetCache
   * through Redis takes most of a fork's time, and the others' entries would only crowd the heap.
   */
  private static final int FILL_BATCH = 1_000;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    measured = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key-" + i;
    }
    switch (measured) {
      case "freshcache_get" ->
          freshcache =
              FreshCache.builder("peers", String.class, String.class)
                  .maximumSize(MAXIMUM_SIZE)
                  .expiry(Expiry.ttl(TTL).jitter(0.2))
                  .source(key -> "value-" + key)
                  .build();
      case "caffeine_getIfPresent" ->
          caffeine = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
      case "caffeine_expireAfterWrite" ->
          caffeineWithTtl =
              Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).expireAfterWrite(TTL).build();
      case "redisson_localCachedMap_get" -> {
        Config config = new Config();
        config.useSingleServer().setAddress(URI);
        redisson = Redisson.create(config);
        redissonMap =
            redisson.getLocalCachedMap(
                LocalCachedMapOptions.<String, String>name(REDISSON_MAP)
                    .codec(StringCodec.INSTANCE)
                    .cacheSize(MAXIMUM_SIZE)
                    .evictionPolicy(LocalCachedMapOptions.EvictionPolicy.LRU)
                    .timeToLive(TTL));
      }
      case "jetcache_twoLevel_get" -> {
        jetcacheRedis = RedisClient.create(URI);
        com.alicp.jetcache.Cache<String, String> local =
            CaffeineCacheBuilder.createCaffeineCacheBuilder()
                .limit(MAXIMUM_SIZE)
                .expireAfterWrite(TTL.toMillis(), TimeUnit.MILLISECONDS)
                .buildCache();
        com.alicp.jetcache.Cache<String, String> remote =
            RedisLettuceCacheBuilder.createRedisLettuceCacheBuilder()
                .redisClient(jetcacheRedis)
                .keyPrefix(JETCACHE_PREFIX)
                .expireAfterWrite(TTL.toMillis(), TimeUnit.MILLISECONDS)
                .buildCache();
        jetcache =
            MultiLevelCacheBuilder.createMultiLevelCacheBuilder()
                .addCache(local, remote)
                .expireAfterWrite(TTL.toMillis(), TimeUnit.MILLISECONDS)
                .buildCache();
      }
      default -> throw new IllegalStateException("no set-up for " + measured);
    }
    // The peers that write through to Redis are filled a thousand entries per command (one round
    // trip each instead of 100,000): the fill is set-up, not measured, and the check below reads
    // every entry back through the peer's own get, which leaves each in its local tier.
    Map<String, String> batch = new HashMap<>();
    for (String key : keys) {
      String value = "value-" + key;
      switch (measured) {
        case "freshcache_get" -> freshcache.get(key); // read-through: the source fills it
        case "caffeine_getIfPresent" -> caffeine.put(key, value);
        case "caffeine_expireAfterWrite" -> caffeineWithTtl.put(key, value);
        default -> batch.put(key, value);
      }
      if (batch.size() == FILL_BATCH) {
        putAll(batch);
      }
    }
    putAll(batch);
    for (String key : keys) {
      String value = "value-" + key;
      String cached =
          switch (measured) {
            case "freshcache_get" -> freshcache.getIfPresent(key);
            case "caffeine_getIfPresent" -> caffeine.getIfPresent(key);
            case "caffeine_expireAfterWrite" -> caffeineWithTtl.getIfPresent(key);
            case "redisson_localCachedMap_get" -> redissonMap.get(key);
            default -> jetcache.get(key);
          };
      if (!value.equals(cached)) {
        throw new IllegalStateException(key + " is not cached by " + measured + " after the fill");
      }
    }
  }

  /** Writes {@code batch} through the measured peer that writes to Redis, then empties it. */
  private void putAll(Map<String, String> batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (measured.equals("redisson_localCachedMap_get")) {
      redissonMap.putAll(batch);
    } else {
      jetcache.putAll(batch);
    }
    batch.clear();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (freshcache != null) {
      if (freshcache.analytics().stats().misses() != KEYS) {
        throw new IllegalStateException("freshcache missed during the run");
      }
      freshcache.close();
    }
    if (redisson != null) {
      redissonMap.delete();
      redisson.shutdown();
    }
    if (jetcacheRedis != null) {
      RedisKeys.deleteMatching(jetcacheRedis, JETCACHE_PREFIX + "*");
      jetcacheRedis.shutdown();
    }
  }

  @Benchmark
  public String caffeine_getIfPresent(Reader reader) {
    return caffeine.getIfPresent(keys[reader.order.next()]);
  }

  @Benchmark
  public String caffeine_expireAfterWrite(Reader reader) {
    return caffeineWithTtl.getIfPresent(keys[reader.order.next()]);
  }

  @Benchmark
  public String freshcache_get(Reader reader) {
    return freshcache.get(keys[reader.order.next()]);
  }

  @Benchmark
  public String redisson_localCachedMap_get(Reader reader) {
    return redissonMap.get(keys[reader.order.next()]);
  }

  @Benchmark
  public String jetcache_twoLevel_get(Reader reader) {
    return jetcache.get(keys[reader.order.next()]);
  }
}
