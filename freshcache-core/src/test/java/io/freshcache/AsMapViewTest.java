package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code asMap()}: a map whose writes are the cache's puts and invalidations, guards included. */
class AsMapViewTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void writesThroughTheMapGoThroughTheWritePolicyAndReachOtherInstances() {
    Map<String, String> database = new ConcurrentHashMap<>();
    InProcessBus bus = new InProcessBus();
    try (CacheGroup a = CacheGroup.builder("map-bus").bus(bus).build();
        CacheGroup b = CacheGroup.builder("map-bus").bus(bus).build()) {
      FreshCache<String, String> mine =
          a.cache("c", String.class, String.class)
              .source(database::get)
              .writes(Writes.through(database::put))
              .build();
      FreshCache<String, String> theirs =
          b.cache("c", String.class, String.class).source(database::get).build();
      database.put("k", "v1");
      assertThat(theirs.get("k")).isEqualTo("v1");

      assertThat(mine.asMap().put("k", "v2")).isNull(); // mine held nothing yet

      assertThat(database).containsEntry("k", "v2"); // the write policy wrote the source
      assertThat(theirs.getIfPresent("k")).isNull(); // the bus dropped the other copy
      assertThat(theirs.get("k")).isEqualTo("v2");
      assertThat(mine.asMap().remove("k")).isEqualTo("v2");
      assertThat(theirs.getIfPresent("k")).isNull();
      assertThat(mine.getIfPresent("k")).isNull();
    }
  }

  @Test
  void aMapPutOlderThanTheCachedVersionIsRefused() {
    record Row(String name, long version) {}
    FreshCache<String, Row> cache =
        FreshCache.builder("map-version", String.class, Row.class).version(Row::version).build();
    ConcurrentMap<String, Row> map = cache.asMap();
    map.put("k", new Row("new", 2));

    assertThatThrownBy(() -> map.put("k", new Row("old", 1)))
        .isInstanceOf(VersionConflictException.class);
    assertThat(map.get("k")).isEqualTo(new Row("new", 2));
  }

  @Test
  void badKeysAndValuesAreRefusedAsByPut() {
    ConcurrentMap<String, String> map =
        FreshCache.builder("map-checks", String.class, String.class).build().asMap();
    assertThatThrownBy(() -> map.put(null, "v"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("map-checks");
    assertThatThrownBy(() -> map.put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.get(null)).isInstanceOf(NullPointerException.class);
    assertThat(map.get(42)).isNull(); // a key of another type is simply absent
    assertThat(map.remove(42)).isNull();
  }

  @Test
  void iterationSeesTheFreshEntriesAndItsRemovalsAndSetValuesAreInvalidationsAndPuts() {
    FreshCache<String, String> cache =
        FreshCache.builder("map-iterate", String.class, String.class)
            .ticker(ticker)
            .expiry(Expiry.ttl(Duration.ofMinutes(1)))
            .build();
    ConcurrentMap<String, String> map = cache.asMap();
    cache.put("old", "x");
    ticker.advance(Duration.ofMinutes(2));
    cache.put("a", "1");
    cache.put("b", "2");

    assertThat(map).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(map.size()).isEqualTo(2);
    assertThat(map.containsKey("old")).isFalse();
    assertThat(map.containsValue("2")).isTrue();

    for (Iterator<Map.Entry<String, String>> it = map.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> e = it.next();
      if (e.getKey().equals("a")) {
        it.remove();
      } else {
        e.setValue("22");
      }
    }
    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isEqualTo("22");

    map.clear();
    assertThat(map).isEmpty();
    assertThat(cache.getIfPresent("b")).isNull();
  }

  @Test
  void peekingThroughTheMapLeavesNoTrace() {
    FreshCache<String, String> cache =
        FreshCache.builder("map-quiet", String.class, String.class).build();
    cache.put("k", "v");
    cache.asMap().containsKey("k");
    cache.asMap().containsKey("absent");
    cache.asMap().size();
    assertThat(cache.analytics().stats().hits()).isZero();
    assertThat(cache.analytics().stats().misses()).isZero();
  }

  @Test
  void computeIfAbsentLoadsOncePerKeyAndANullCachesNothing() {
    FreshCache<String, String> cache =
        FreshCache.builder("map-compute", String.class, String.class).build();
    ConcurrentMap<String, String> map = cache.asMap();
    AtomicInteger calls = new AtomicInteger();

    assertThat(map.computeIfAbsent("k", k -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    assertThat(map.computeIfAbsent("k", k -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    assertThat(map.computeIfAbsent("none", k -> null)).isNull();
    assertThat(cache.getIfPresent("none")).isNull();
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void conditionalWritesAreRefusedSayingWhatToUseInstead() {
    ConcurrentMap<String, String> map =
        FreshCache.builder("map-refuse", String.class, String.class).build().asMap();
    map.put("k", "v");

    assertThatThrownBy(() -> map.putIfAbsent("k", "w"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "cache 'map-refuse': asMap().putIfAbsent is not supported: a conditional write cannot"
                + " be atomic across the group's instances and its write policy; use"
                + " computeIfAbsent(key, k -> value) or get(key, loader)");
    assertThatThrownBy(() -> map.replace("k", "v", "w"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("Version.of");
    assertThatThrownBy(() -> map.replace("k", "w"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("k", "v"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.compute("k", (k, v) -> v))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.computeIfPresent("k", (k, v) -> v))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.merge("k", "w", (a, b) -> a + b))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.replaceAll((k, v) -> v))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(map.get("k")).isEqualTo("v"); // nothing changed
  }
}
