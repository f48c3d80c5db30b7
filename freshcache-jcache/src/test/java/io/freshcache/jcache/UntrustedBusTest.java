package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.spi.InvalidationBus;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While the group's bus cannot vouch that this instance has heard every invalidation, its entries
 * are misses; they serve again once it can, unless an invalidation removed them meanwhile.
 */
class UntrustedBusTest {

  /** A bus whose trust the test sets; publishes go nowhere. */
  static final class TrustBus implements InvalidationBus {
    volatile Receiver receiver;

    @Override
    public CompletableFuture<Void> publish(String eventType, String message) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(Receiver receiver) {
      this.receiver = receiver;
      receiver.trustUntil(Long.MAX_VALUE);
      return () -> {};
    }

    @Override
    public void close() {}

    void trusted(boolean trusted) {
      long now = System.nanoTime();
      receiver.trustUntil(trusted ? now + 3_600_000_000_000L : now - 1_000_000_000L);
    }
  }

  private final TrustBus bus = new TrustBus();
  private final CacheGroup group = CacheGroup.builder("untrusted").bus(bus).build();
  private final CacheManager manager;
  private final Cache<String, String> cache;

  UntrustedBusTest() {
    Properties props = new Properties();
    props.put(FreshCachingProvider.GROUP, group);
    manager =
        Caching.getCachingProvider()
            .getCacheManager(URI.create("test:untrusted"), getClass().getClassLoader(), props);
    cache =
        manager.createCache(
            "c", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  @AfterEach
  void close() {
    manager.close();
    group.close();
  }

  @Test
  void entriesAreMissesWhileTheBusCannotVouchAndServeAgainAfter() {
    cache.put("k", "v");
    bus.trusted(false);
    assertThat(cache.get("k")).isNull();
    assertThat(cache.containsKey("k")).isFalse();

    bus.trusted(true);
    assertThat(cache.get("k")).isEqualTo("v");
  }

  @Test
  void anInvalidationHeardMeanwhileStillRemovesTheEntry() {
    cache.put("k", "v");
    bus.trusted(false);
    group.invalidateKeys("k");
    bus.trusted(true);
    assertThat(cache.get("k")).isNull();
  }
}
