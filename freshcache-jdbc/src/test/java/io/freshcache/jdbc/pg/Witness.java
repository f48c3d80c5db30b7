package io.freshcache.jdbc.pg;

import io.freshcache.CacheGroup;
import io.freshcache.redis.RedisBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An instance of the group that records every change-capture event it applies: how many times it
 * saw each transaction id, and the losses announced.
 */
final class Witness implements AutoCloseable {

  final CacheGroup group;
  final Map<Long, Integer> seen = new ConcurrentHashMap<>();
  final AtomicInteger losses = new AtomicInteger();

  Witness(String namespace) {
    group =
        CacheGroup.builder(namespace)
            .instanceId("witness")
            .bus(RedisBus.builder(Fleet.REDIS).keyPrefix(Fleet.PREFIX))
            .build();
    group.subscribe(
        PgChangeCapture.EVENT_TYPE,
        event -> {
          Object xid = event.data().get("xid");
          if (xid != null) {
            seen.merge(((Number) xid).longValue(), 1, Integer::sum);
          }
          if (event.data().containsKey("loss")) {
            losses.incrementAndGet();
          }
          return List.of();
        });
  }

  @Override
  public void close() {
    group.close();
  }
}
