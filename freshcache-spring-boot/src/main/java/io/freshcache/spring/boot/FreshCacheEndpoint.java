package io.freshcache.spring.boot;

import io.freshcache.spring.FreshCacheManager;
import io.freshcache.spring.FreshSpringCache;
import io.freshcache.stats.CacheStats;
import io.freshcache.stats.GroupStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The actuator endpoint {@code freshcache}: the group's bus and shared-tier figures on this
 * instance, and each cache's statistics. Read-only; expose it as any endpoint ({@code
 * management.endpoints.web.exposure.include=freshcache}).
 */
@Endpoint(id = "freshcache")
public class FreshCacheEndpoint {

  private final FreshCacheManager manager;

  public FreshCacheEndpoint(FreshCacheManager manager) {
    this.manager = manager;
  }

  /** The group's and every cache's figures. */
  @ReadOperation
  public Map<String, Object> stats() {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("group", manager.group().name());
    result.put("instance", manager.group().instanceId());
    GroupStats g = manager.group().stats();
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("live", g.live());
    group.put("published", g.published());
    group.put("received", g.received());
    group.put("applied", g.applied());
    group.put("malformed", g.malformed());
    group.put("losses", g.losses());
    group.put("suspensions", g.suspensions());
    group.put("outboxDepth", g.outboxDepth());
    group.put("outboxOverflows", g.outboxOverflows());
    group.put("publishFailures", g.publishFailures());
    group.put("sharedHits", g.sharedHits());
    group.put("sharedFailures", g.sharedFailures());
    group.put("sharedBreakerOpen", g.sharedBreakerOpen());
    group.put("lag", g.lag().toString());
    result.put("bus", group);
    Map<String, Object> caches = new LinkedHashMap<>();
    for (String name : manager.getCacheNames()) {
      FreshSpringCache cache = manager.getCache(name);
      CacheStats s = cache.getNativeCache().analytics().stats();
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("size", cache.getNativeCache().estimatedSize());
      c.put("hits", s.hits());
      c.put("misses", s.misses());
      c.put("hitRatio", s.hitRatio());
      c.put("loads", s.loads());
      c.put("loadFailures", s.loadFailures());
      c.put("evictions", s.evictions());
      c.put("expirations", s.expirations());
      c.put("invalidations", s.invalidations());
      c.put("voidedLoads", s.voidedLoads());
      c.put("puts", cache.putCount());
      caches.put(name, c);
    }
    result.put("caches", caches);
    return result;
  }
}
