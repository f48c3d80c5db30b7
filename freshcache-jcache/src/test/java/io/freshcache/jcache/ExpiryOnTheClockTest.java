package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry policies on an injected clock: no sleeping, every instant chosen by the test. */
class ExpiryOnTheClockTest {

  private static final java.time.Duration SECOND = java.time.Duration.ofSeconds(1);

  private final ManualClock clock = new ManualClock();
  private final CachingProvider provider = Caching.getCachingProvider();
  private final CacheManager manager;

  ExpiryOnTheClockTest() {
    Properties props = new Properties();
    props.put(FreshCachingProvider.TICKER, clock);
    manager =
        provider.getCacheManager(
            URI.create("test:expiry-" + System.nanoTime()), getClass().getClassLoader(), props);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** Every event it hears, in order; static so the factory can hand out the one instance. */
  static final class Recorder
      implements CacheEntryCreatedListener<String, String>,
          CacheEntryExpiredListener<String, String>,
          Serializable {
    static final List<String> HEARD = new ArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> HEARD.add("created " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> HEARD.add("expired " + e.getKey() + "=" + e.getOldValue()));
    }
  }

  private <P extends ExpiryPolicy & Serializable> Cache<String, String> cache(
      String name, P policy) {
    Recorder.HEARD.clear();
    MutableConfiguration<String, String> config =
        new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<ExpiryPolicy>(policy))
            .setStatisticsEnabled(true)
            .addCacheEntryListenerConfiguration(
                new MutableCacheEntryListenerConfiguration<>(
                    FactoryBuilder.factoryOf(new Recorder()), null, true, true));
    return manager.createCache(name, config);
  }

  @Test
  void anAccessedEntryLivesUntilItGoesUnreadForItsDuration() {
    Cache<String, String> cache =
        cache("accessed", new AccessedExpiryPolicy(new Duration(TimeUnit.SECONDS, 60)));
    cache.put("k", "v");
    clock.advance(SECOND.multipliedBy(50));
    assertThat(cache.get("k")).isEqualTo("v"); // read at 50 s: now lives until 110 s
    clock.advance(SECOND.multipliedBy(50));
    assertThat(cache.get("k")).isEqualTo("v"); // 100 s
    clock.advance(SECOND.multipliedBy(60));
    assertThat(cache.get("k")).isNull(); // 160 s: unread since 100 s
    assertThat(Recorder.HEARD).containsExactly("created k=v", "expired k=v");
  }

  @Test
  void aCreatedEntryExpiresOnTimeWhateverItsReads() {
    Cache<String, String> cache =
        cache("created", new CreatedExpiryPolicy(new Duration(TimeUnit.SECONDS, 10)));
    cache.put("k", "v");
    clock.advance(SECOND.multipliedBy(9));
    assertThat(cache.get("k")).isEqualTo("v");
    clock.advance(SECOND);
    assertThat(cache.containsKey("k")).isFalse();
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void zeroOnCreationStoresNothingAndRaisesNoEvent() {
    Cache<String, String> cache = cache("zero", new CreatedExpiryPolicy(Duration.ZERO));
    cache.put("k", "v");
    assertThat(cache.containsKey("k")).isFalse();
    assertThat(Recorder.HEARD).isEmpty();
    assertThat(cache.unwrap(FreshJCache.class).statistics().getCachePuts()).isZero();
  }

  /** Ten seconds on creation, null (keep what it had) on update, ZERO on access. */
  static final class KeepOnUpdate implements ExpiryPolicy, Serializable {
    @Override
    public Duration getExpiryForCreation() {
      return new Duration(TimeUnit.SECONDS, 10);
    }

    @Override
    public Duration getExpiryForAccess() {
      return Duration.ZERO;
    }

    @Override
    public Duration getExpiryForUpdate() {
      return null;
    }
  }

  @Test
  void nullOnUpdateKeepsTheExpiryTimeAndZeroOnAccessExpiresAfterTheRead() {
    Cache<String, String> cache = cache("null-update", new KeepOnUpdate());
    cache.put("k", "v1");
    clock.advance(SECOND.multipliedBy(8));
    cache.put("k", "v2"); // still expires at 10 s
    clock.advance(SECOND.multipliedBy(2));
    assertThat(cache.containsKey("k")).isFalse();

    cache.put("k", "v3");
    assertThat(cache.get("k")).isEqualTo("v3"); // the read is served, then the entry expires
    assertThat(cache.get("k")).isNull();
  }
}
