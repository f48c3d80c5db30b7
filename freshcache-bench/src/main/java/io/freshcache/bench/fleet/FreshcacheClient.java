package io.freshcache.bench.fleet;

import io.freshcache.CacheGroup;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisSharedTier;
import io.freshcache.stats.GroupStats;
import java.nio.file.Path;
import java.time.Duration;

/**
 * freshcache as the harness runs it: a group on a Redis bus with δ as its staleness bound and the
 * shared tier, the default (non-strict) mode, outbox markers in a directory kept across a writer's
 * restarts. Entries live 10 minutes, longer than any run: no read is made fresh by expiry.
 */
final class FreshcacheClient implements FleetClient {

  private final CacheGroup group;
  private final FreshCache<String, String> rows;

  FreshcacheClient(
      String redisUri,
      String namespace,
      String instance,
      Duration delta,
      Path markers,
      Loader loader) {
    var builder =
        CacheGroup.builder(namespace)
            .instanceId(instance)
            .bus(
                RedisBus.builder(redisUri)
                    .keyPrefix("fleet")
                    .clientName("fleet-" + instance)
                    .stalenessBound(delta)
                    .commandTimeout(Duration.ofMillis(500)))
            .shared(
                RedisSharedTier.builder(redisUri)
                    .keyPrefix("fleet")
                    .commandTimeout(Duration.ofMillis(500)))
            .sharedTimeout(Duration.ofMillis(300))
            .sharedProbeInterval(Duration.ofMillis(500));
    if (markers != null) {
      builder.outboxMarkers(markers);
    }
    this.group = builder.build();
    this.rows =
        group
            .cache("rows", String.class, String.class)
            .keyPrefix("row:")
            .expiry(Expiry.ttl(Duration.ofMinutes(10)))
            .source(loader::load)
            .build();
  }

  @Override
  public String get(String key) {
    return rows.get(key);
  }

  @Override
  public void put(String key, String value) {
    rows.put(key, value);
  }

  @Override
  public boolean pending() {
    GroupStats stats = group.stats();
    return stats.outboxDepth() > 0 || stats.inFlight() > 0; // not yet confirmed by Redis
  }

  @Override
  public String counters() {
    GroupStats s = group.stats();
    return "losses="
        + s.losses()
        + " suspensions="
        + s.suspensions()
        + " outboxDelivered="
        + s.outboxDelivered()
        + " sharedFailures="
        + s.sharedFailures()
        + " outboxDepth="
        + s.outboxDepth()
        + " inFlight="
        + s.inFlight();
  }

  @Override
  public void close() {
    group.close();
  }

  /** The source as the cache sees it. */
  @FunctionalInterface
  interface Loader {
    String load(String key) throws Exception;
  }
}
