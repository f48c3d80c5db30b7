package io.freshcache.bench;

import io.freshcache.CacheGroup;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisSharedTier;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * A local miss answered by the shared tier against a raw Lettuce {@code GET} of a value of the same
 * size, same run, same concurrency (the target: at least 0.9 times): 10,000 keys with 1 KiB values,
 * written to Redis by a first instance; a second instance with no room in its local tier ({@code
 * maximumSize(0)}) reads them, so every read is one lookup in Redis, and the source is never
 * called. {@code getAll} of 100 keys (a random run of consecutive keys) is measured against a raw
 * {@code MGET} of the same 100 keys: both one round trip. Needs the Redis at {@code
 * freshcache.redis.uri} (default 127.0.0.1:6379; for the forks, pass it with {@code -jvmArgsAppend
 * -Dfreshcache.redis.uri=redis://127.0.0.1:6492}); what it writes there carries the prefix {@code
 * fcbench} and is deleted after the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
public class SharedHitBenchmark {

  private static final int KEYS = 10_000;
  private static final String URI =
      System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");
  private static final String NAMESPACE = "fcbench-shared";
  private static final String RAW = "fcbench:raw:";
  private static final int BATCH = 100;

  /** Every run of {@link #BATCH} consecutive keys, as getAll and MGET take them. */
  private final List<List<Integer>> batches = new ArrayList<>();

  private final List<String[]> rawBatches = new ArrayList<>();

  private CacheGroup writer;
  private CacheGroup reader;
  private FreshCache<Integer, String> remote;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private long loadsAfterFill;

  /** One thread's own random order of keys. */
  @State(Scope.Thread)
  public static class Keys {
    private final SplittableRandom random = new SplittableRandom();

    int next() {
      return random.nextInt(KEYS);
    }

    int nextBatch() {
      return random.nextInt(KEYS - BATCH);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    String value = "v".repeat(1_024);
    writer = group();
    FreshCache<Integer, String> filler = cache(writer, 2 * KEYS, value);
    reader = group();
    remote = cache(reader, 0, value);
    client = RedisClient.create(URI);
    connection = client.connect();
    for (int i = 0; i < KEYS; i++) {
      filler.put(i, value); // to Redis, through the shared tier
      connection.sync().set(RAW + i, value);
    }
    for (int i = 0; i < KEYS; i++) {
      if (!value.equals(remote.get(i))) {
        throw new IllegalStateException("key " + i + " is not in the shared tier after the fill");
      }
    }
    for (int from = 0; from < KEYS - BATCH; from++) {
      List<Integer> batch = new ArrayList<>(BATCH);
      String[] raw = new String[BATCH];
      for (int i = 0; i < BATCH; i++) {
        batch.add(from + i);
        raw[i] = RAW + (from + i);
      }
      batches.add(List.copyOf(batch));
      rawBatches.add(raw);
    }
    loadsAfterFill = remote.analytics().stats().loadSuccesses();
  }

  private static CacheGroup group() {
    return CacheGroup.builder(NAMESPACE)
        .bus(RedisBus.builder(URI).keyPrefix("fcbench"))
        .shared(RedisSharedTier.builder(URI).keyPrefix("fcbench"))
        .build();
  }

  private static FreshCache<Integer, String> cache(CacheGroup group, int size, String value) {
    return group
        .cache("values", Integer.class, String.class)
        .maximumSize(size)
        .expiry(Expiry.ttl(Duration.ofHours(1)))
        .source(key -> value)
        .build();
  }

  /** Fails the run if the source was called: it would not measure shared-tier hits then. */
  @TearDown(Level.Trial)
  public void tearDown() {
    long loads = remote.analytics().stats().loadSuccesses() - loadsAfterFill;
    long localHits = remote.analytics().stats().hits();
    reader.close();
    writer.close();
    connection.close();
    RedisKeys.deleteMatching(client, RAW + "*");
    RedisKeys.deleteMatching(client, "fcbench:{" + NAMESPACE + "}:*");
    client.shutdown();
    if (loads != 0) {
      throw new IllegalStateException(loads + " reads went to the source, not the shared tier");
    }
    if (localHits != 0) {
      System.out.printf(
          "freshcache: %d reads were local hits (evicted a moment late)%n", localHits);
    }
  }

  @Benchmark
  public String freshcache_sharedHit(Keys keys) {
    return remote.get(keys.next());
  }

  @Benchmark
  public String freshcache_sharedHitAsync(Keys keys) {
    return remote.async().get(keys.next()).join();
  }

  @Benchmark
  public Map<Integer, String> freshcache_getAll100(Keys keys) {
    return remote.getAll(batches.get(keys.nextBatch()));
  }

  @Benchmark
  public Object lettuce_mget100(Keys keys) {
    return connection.sync().mget(rawBatches.get(keys.nextBatch()));
  }

  @Benchmark
  public String lettuce_get(Keys keys) {
    return connection.sync().get(RAW + keys.next());
  }

  @Benchmark
  public String lettuce_getAsync(Keys keys) throws Exception {
    return connection.async().get(RAW + keys.next()).get();
  }
}
