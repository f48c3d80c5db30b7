package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A source's "not found" cached for its own, shorter lifetime, and invalidated like any entry. */
class NegativeCachingTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CountingSource<String, String> source = new CountingSource<>(key -> null);
  private final List<RemovalCause> removals = new ArrayList<>();
  private final FreshCache<String, String> cache =
      FreshCache.builder("negative", String.class, String.class)
          .ticker(ticker)
          .expiry(Expiry.ttl(Duration.ofHours(1)))
          .negativeCaching(Duration.ofSeconds(30))
          .removalListener((key, value, cause) -> removals.add(cause))
          .source(source)
          .build();

  @Test
  void withoutNegativeCachingANullStillFailsTheLoad() {
    FreshCache<String, String> plain =
        FreshCache.builder("no-negative", String.class, String.class).source(key -> null).build();
    assertThatThrownBy(() -> plain.get("k"))
        .isInstanceOf(CacheLoadException.class)
        .hasMessageContaining("returned null");
  }

  @Test
  void notFoundIsCachedForItsOwnLifetimeThenAskedAgain() {
    assertThat(cache.get("missing")).isNull();
    assertThat(cache.get("missing")).isNull();
    assertThat(cache.getIfPresent("missing")).isNull();
    assertThat(source.loads()).isEqualTo(1);

    source.set("missing", "created");
    ticker.advance(Duration.ofSeconds(29));
    assertThat(cache.get("missing")).isNull();
    assertThat(source.loads()).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(1));
    assertThat(cache.get("missing")).isEqualTo("created");
    assertThat(source.loads()).isEqualTo(2);
    // Found values keep the cache's expiry, not the negative lifetime.
    ticker.advance(Duration.ofMinutes(30));
    assertThat(cache.get("missing")).isEqualTo("created");
    assertThat(source.loads()).isEqualTo(2);
  }

  @Test
  void anInvalidationOrAPutEndsANotFound() {
    cache.get("a");
    cache.get("b");
    cache.get("c");
    cache.get("d");
    source.set("a", "A").set("c", "C").set("d", "D");

    cache.invalidate("a");
    cache.put("b", "B");
    cache.group().invalidatePattern("c*");

    assertThat(cache.get("a")).isEqualTo("A");
    assertThat(cache.get("b")).isEqualTo("B");
    assertThat(cache.get("c")).isEqualTo("C");
    assertThat(removals).isEmpty(); // a "not found" is not an entry a listener hears of
    cache.invalidateAll();
    assertThat(cache.get("d")).isEqualTo("D");
    assertThat(source.loads()).isEqualTo(7);
  }

  @Test
  void anInvalidationDuringTheLoadKeepsTheNotFoundOut() {
    source.duringLoad(() -> cache.invalidate("k"));
    assertThat(cache.get("k")).isNull(); // the caller still gets its answer
    source.duringLoad(() -> {});
    source.set("k", "v");

    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(source.loads()).isEqualTo(2);
  }

  @Test
  void anInvalidationFromAnotherInstanceEndsTheNotFoundHere() {
    InProcessBus bus = new InProcessBus();
    AtomicInteger loads = new AtomicInteger();
    Map<String, String> rows = new java.util.concurrent.ConcurrentHashMap<>();
    try (CacheGroup a = CacheGroup.builder("negative-bus").bus(bus).build();
        CacheGroup b = CacheGroup.builder("negative-bus").bus(bus).build()) {
      FreshCache<String, String> here =
          a.cache("c", String.class, String.class)
              .negativeCaching(Duration.ofMinutes(5))
              .source(
                  key -> {
                    loads.incrementAndGet();
                    return rows.get(key);
                  })
              .build();
      FreshCache<String, String> there = b.cache("c", String.class, String.class).build();
      assertThat(here.get("k")).isNull();

      rows.put("k", "v");
      there.invalidate("k");

      assertThat(here.get("k")).isEqualTo("v");
      assertThat(loads.get()).isEqualTo(2);
    }
  }

  @Test
  void notFoundStaysOnItsInstanceAndReleasesTheSharedLease() {
    InMemorySharedTier tier = new InMemorySharedTier();
    AtomicInteger loads = new AtomicInteger();
    try (CacheGroup a = CacheGroup.builder("negative-tier").shared(tier).build();
        CacheGroup b = CacheGroup.builder("negative-tier").shared(tier).build()) {
      Source<String, String> nothing =
          key -> {
            loads.incrementAndGet();
            return null;
          };
      FreshCache<String, String> first =
          a.cache("c", String.class, String.class)
              .negativeCaching(Duration.ofMinutes(5))
              .source(nothing)
              .build();
      FreshCache<String, String> second =
          b.cache("c", String.class, String.class)
              .negativeCaching(Duration.ofMinutes(5))
              .source(nothing)
              .build();

      assertThat(first.get("k")).isNull();
      assertThat(second.get("k")).isNull(); // loaded itself at once: no lease left waiting
      assertThat(first.get("k")).isNull();
      assertThat(loads.get()).isEqualTo(2);
    }
  }

  @Test
  void getAllLeavesNotFoundKeysOutAndALoadAllThatOmitsAKeyMeansNotFound() {
    AtomicInteger bulk = new AtomicInteger();
    FreshCache<String, String> bulkCache =
        FreshCache.builder("negative-bulk", String.class, String.class)
            .negativeCaching(Duration.ofMinutes(1))
            .source(
                new Source<>() {
                  @Override
                  public String load(String key) {
                    return null;
                  }

                  @Override
                  public Map<String, String> loadAll(Set<? extends String> keys) {
                    bulk.incrementAndGet();
                    Map<String, String> found = new LinkedHashMap<>();
                    keys.stream()
                        .filter(k -> k.startsWith("x"))
                        .forEach(k -> found.put(k, "v" + k));
                    return found;
                  }
                })
            .build();

    assertThat(bulkCache.getAll(List.of("x1", "y", "x2")))
        .containsExactly(Map.entry("x1", "vx1"), Map.entry("x2", "vx2"));
    assertThat(bulkCache.getAll(List.of("y", "x1"))).containsExactly(Map.entry("x1", "vx1"));
    assertThat(bulkCache.get("y")).isNull();
    assertThat(bulk.get()).isEqualTo(1);
  }

  @Test
  void asyncReadsLoadersTheMapViewAndTheWeigherNeverSeeTheMarker() throws Exception {
    AtomicInteger weighed = new AtomicInteger();
    FreshCache<String, String> weighedCache =
        FreshCache.builder("negative-views", String.class, String.class)
            .ticker(ticker)
            .negativeCaching(Duration.ofMinutes(1))
            .maximumWeight(100)
            .weigher(
                (key, value) -> {
                  weighed.incrementAndGet();
                  return value.length(); // a marker of another type would fail here
                })
            .build();

    assertThat(weighedCache.get("a", key -> null)).isNull();
    CompletableFuture<String> async =
        weighedCache.async().get("b", (key, executor) -> CompletableFuture.completedFuture(null));
    assertThat(async.get()).isNull();
    assertThat(weighedCache.async().get("a", (key, executor) -> null).get()).isNull(); // a hit
    weighedCache.put("c", "value");

    assertThat(weighedCache.asMap()).containsOnly(Map.entry("c", "value"));
    assertThat(weighedCache.asMap().containsKey("a")).isFalse();
    assertThat(weighed.get()).isEqualTo(1);
  }

  @Test
  void aNegativeLifetimeMustBePositive() {
    assertThatThrownBy(
            () ->
                FreshCache.builder("n", String.class, String.class).negativeCaching(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "negativeCaching ttl must be positive, was PT0S; leave negativeCaching out for loads"
                + " that find nothing to fail");
  }
}
