package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Copies in and out of a by-value cache; the caller's objects in a by-reference one. */
class StoreByValueTest {

  private final CacheManager manager =
      Caching.getCachingProvider()
          .getCacheManager(URI.create("test:by-value"), getClass().getClassLoader());

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void aByValueCacheIsUntouchedByChangesToWhatWasPutOrGot() {
    Cache<String, ArrayList<String>> cache =
        manager.createCache("copies", new MutableConfiguration<String, ArrayList<String>>());
    ArrayList<String> list = new ArrayList<>(List.of("a"));
    cache.put("k", list);
    list.add("changed after put");
    cache.get("k").add("changed after get");
    assertThat(cache.get("k")).containsExactly("a");
  }

  @Test
  void aByReferenceCacheHandsBackTheSameObject() {
    Cache<String, List<String>> cache =
        manager.createCache(
            "references", new MutableConfiguration<String, List<String>>().setStoreByValue(false));
    List<String> list = new ArrayList<>(List.of("a"));
    cache.put("k", list);
    assertThat(cache.get("k")).isSameAs(list);
  }

  @Test
  void aValueThatCannotBeSerializedIsRefusedSayingWhy() {
    Cache<String, Object> cache =
        manager.createCache("refuses", new MutableConfiguration<String, Object>());
    assertThatThrownBy(() -> cache.put("k", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object cannot be serialized")
        .hasMessageContaining("setStoreByValue(false)");
    assertThat(cache.containsKey("k")).isFalse();
  }
}
