package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.CacheGroup;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the provider is found, and how a bad URI or property fails {@code getCacheManager}. */
class ProviderSettingsTest {

  private final CachingProvider provider = Caching.getCachingProvider();
  private final ClassLoader loader = getClass().getClassLoader();

  @AfterEach
  void closeManagers() {
    provider.close();
  }

  private CacheManager manager(String uri, Properties props) {
    return provider.getCacheManager(URI.create(uri), loader, props);
  }

  private static Properties props(Object... pairs) {
    Properties p = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      p.put(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  @Test
  void serviceLoaderFindsTheProviderAndItsDefaultManagerIsLocal() {
    assertThat(provider).isInstanceOf(FreshCachingProvider.class);
    CacheManager manager = provider.getCacheManager();
    assertThat(manager.getURI()).isEqualTo(URI.create("freshcache:local"));
    assertThat(manager.unwrap(CacheGroup.class).name()).isEqualTo("jcache");
  }

  @Test
  void theNamespacePropertyNamesTheGroup() {
    CacheManager manager = manager("test:ns", props(FreshCachingProvider.NAMESPACE, "shop"));
    assertThat(manager.unwrap(CacheGroup.class).name()).isEqualTo("shop");
  }

  @Test
  void aGivenGroupIsJoinedAndLeftOpen() {
    CacheGroup group = CacheGroup.builder("given").build();
    CacheManager manager = manager("test:given", props(FreshCachingProvider.GROUP, group));
    assertThat(manager.unwrap(CacheGroup.class)).isSameAs(group);
    manager.close();
    // still usable: the manager did not close what it did not open
    group.cache("after", String.class, String.class).build().put("k", "v");
    group.close();
  }

  @Test
  void anUnknownFreshcacheProperty() {
    assertThatThrownBy(() -> manager("test:unknown", props("freshcache.namespce", "shop")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown property 'freshcache.namespce'")
        .hasMessageContaining(FreshCachingProvider.NAMESPACE);
  }

  @Test
  void otherProvidersPropertiesAreIgnored() {
    CacheManager manager = manager("test:other", props("hazelcast.config", "x.xml"));
    assertThat(manager.getProperties()).containsKey("hazelcast.config");
  }

  @Test
  void aNegativeStalenessBound() {
    assertThatThrownBy(
            () ->
                manager(
                    "redis://127.0.0.1:6379", props(FreshCachingProvider.STALENESS_BOUND, "-5s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "freshcache.stalenessBound=-5s is not a positive duration; give one such as 200ms,"
                + " 2s, 1m or PT0.2S");
  }

  @Test
  void aStalenessBoundWithoutRedis() {
    assertThatThrownBy(
            () -> manager("test:nobus", props(FreshCachingProvider.STALENESS_BOUND, "200ms")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("freshcache.stalenessBound applies to a bus on Redis")
        .hasMessageContaining("give freshcache.redis.uri");
  }

  @Test
  void anInvalidNamespace() {
    assertThatThrownBy(
            () -> manager("test:badns", props(FreshCachingProvider.NAMESPACE, "my shop")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("freshcache.namespace=my shop is not a valid namespace");
  }

  @Test
  void aRedisPropertyThatIsNotARedisUri() {
    assertThatThrownBy(
            () -> manager("test:badredis", props(FreshCachingProvider.REDIS_URI, "127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "freshcache.redis.uri=127.0.0.1 is not a Redis URI; give redis://host:port (or"
                + " rediss:// for TLS)");
  }

  @Test
  void twoDifferentRedisServers() {
    assertThatThrownBy(
            () ->
                manager(
                    "redis://10.0.0.1:6379",
                    props(FreshCachingProvider.REDIS_URI, "redis://10.0.0.2:6379")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name two different Redis servers");
  }

  @Test
  void aGroupTogetherWithRedisSettings() {
    CacheGroup group = CacheGroup.builder("given2").build();
    try {
      assertThatThrownBy(
              () -> manager("redis://127.0.0.1:6379", props(FreshCachingProvider.GROUP, group)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("freshcache.group hands the manager a group");
    } finally {
      group.close();
    }
  }

  @Test
  void aGroupPropertyThatIsNotAGroup() {
    assertThatThrownBy(() -> manager("test:notgroup", props(FreshCachingProvider.GROUP, "shop")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "freshcache.group must be a CacheGroup (put the object itself), but is String shop");
  }

  @Test
  void aFailFastThatIsNotABoolean() {
    assertThatThrownBy(
            () -> manager("redis://127.0.0.1:6379", props(FreshCachingProvider.FAIL_FAST, "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("freshcache.failFast=yes must be true or false");
  }

  @Test
  void anUnreachableRedisFailsTheManagerSayingWhatToDo() {
    // port 1 refuses at once: nothing listens there
    assertThatThrownBy(() -> manager("redis://127.0.0.1:1", new Properties()))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("could not open its group 'jcache' on redis://127.0.0.1:1")
        .hasMessageContaining("start Redis or fix freshcache.redis.uri")
        .hasMessageContaining("freshcache.failFast=false");
  }
}
