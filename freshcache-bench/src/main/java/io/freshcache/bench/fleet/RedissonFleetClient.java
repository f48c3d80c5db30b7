package io.freshcache.bench.fleet;

import org.redisson.Redisson;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.map.MapLoader;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redisson's {@code RLocalCachedMap} as the harness runs it: invalidation on change, a loader that
 * reads the source on a miss, and one of its three reconnection strategies ({@code NONE}: keep the
 * local cache; {@code CLEAR}: clear it when the subscription comes back; {@code LOAD}: reload what
 * changed meanwhile, from a change log it keeps in Redis).
 */
final class RedissonFleetClient implements FleetClient {

  private final RedissonClient redisson;
  private final RLocalCachedMap<String, String> rows;

  RedissonFleetClient(
      String redisUri,
      String namespace,
      LocalCachedMapOptions.ReconnectionStrategy strategy,
      FreshcacheClient.Loader loader) {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(redisUri)
        .setTimeout(1_000)
        .setRetryAttempts(1)
        .setConnectionMinimumIdleSize(2)
        .setConnectionPoolSize(8);
    config.setCodec(StringCodec.INSTANCE);
    this.redisson = Redisson.create(config);
    MapLoader<String, String> mapLoader =
        new MapLoader<>() {
          @Override
          public String load(String key) {
            try {
              return loader.load(key);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public Iterable<String> loadAllKeys() {
            return java.util.List.of();
          }
        };
    this.rows =
        redisson.getLocalCachedMap(
            LocalCachedMapOptions.<String, String>name(namespace + ":rows")
                .loader(mapLoader)
                .reconnectionStrategy(strategy)
                .syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE));
  }

  @Override
  public String get(String key) {
    return rows.get(key);
  }

  @Override
  public void put(String key, String value) {
    rows.fastPut(key, value);
  }

  @Override
  public boolean pending() {
    return false; // a write that could not reach Redis failed
  }

  @Override
  public String counters() {
    return "localSize=" + rows.getCachedMap().size();
  }

  @Override
  public void close() {
    redisson.shutdown();
  }
}
