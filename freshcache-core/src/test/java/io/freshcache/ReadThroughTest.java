package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.testing.FakeTicker;
import io.freshcache.testing.ManualExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** get, getAll, put, invalidate and their async flavour over one cache. */
class ReadThroughTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final List<Set<? extends String>> bulkCalls = new ArrayList<>();
  private final Source<String, String> source =
      new Source<>() {
        @Override
        public String load(String key) {
          bulkCalls.add(Set.of(key));
          return "v:" + key;
        }

        @Override
        public Map<String, String> loadAll(Set<? extends String> keys) {
          bulkCalls.add(Set.copyOf(keys));
          Map<String, String> result = new LinkedHashMap<>();
          keys.stream().filter(k -> !k.startsWith("missing")).forEach(k -> result.put(k, "v:" + k));
          return result;
        }
      };
  private final FreshCache<String, String> cache =
      FreshCache.builder("read-through", String.class, String.class)
          .expiry(Expiry.ttl(Duration.ofMinutes(1)))
          .source(source)
          .ticker(ticker)
          .executor(executor)
          .build();

  @Test
  void getAllLoadsOnlyTheMissingKeysInOneBulkCallAndKeepsTheCallersOrder() {
    cache.put("b", "cached-b");
    Map<String, String> result = cache.getAll(List.of("c", "b", "a", "c"));

    assertThat(result)
        .containsExactly(Map.entry("c", "v:c"), Map.entry("b", "cached-b"), Map.entry("a", "v:a"));
    assertThat(bulkCalls).containsExactly(Set.of("a", "c"));
    assertThat(cache.getIfPresent("a")).isEqualTo("v:a");
  }

  @Test
  void getAllFailsClearlyWhenTheSourceLeavesAKeyOut() {
    assertThatThrownBy(() -> cache.getAll(List.of("a", "missing-1")))
        .isInstanceOf(CacheLoadException.class)
        .hasMessage(
            "cache 'read-through': the source's loadAll returned no value for key missing-1");
    assertThat(cache.getIfPresent("a")).isEqualTo("v:a"); // what did load is kept
  }

  @Test
  void asyncGetLoadsOnTheExecutorAndAHitCompletesAtOnce() {
    CompletableFuture<String> miss = cache.async().get("k");
    assertThat(miss).isNotDone();
    executor.runAll();
    assertThat(miss).isCompletedWithValue("v:k");
    assertThat(cache.async().get("k")).isCompletedWithValue("v:k");
  }

  @Test
  void asyncGetAllLoadsOnTheExecutor() {
    CompletableFuture<Map<String, String>> all = cache.async().getAll(List.of("x", "y"));
    assertThat(all).isNotDone();
    executor.runAll();
    assertThat(all.join()).containsExactly(Map.entry("x", "v:x"), Map.entry("y", "v:y"));
  }

  @Test
  void asyncFailuresCompleteTheFutureExceptionally() {
    FreshCache<String, String> failing =
        FreshCache.builder("async-failing", String.class, String.class)
            .source(
                key -> {
                  throw new IllegalStateException("down");
                })
            .executor(executor)
            .build();
    CompletableFuture<String> result = failing.async().get("k");
    executor.runAll();
    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void readYourWritesAfterPutAndInvalidate() {
    assertThat(cache.get("k")).isEqualTo("v:k");
    cache.put("k", "mine");
    assertThat(cache.get("k")).isEqualTo("mine");
    cache.invalidate("k");
    assertThat(cache.getIfPresent("k")).isNull();
    cache.async().put("k", "again").join();
    assertThat(cache.async().synchronous().get("k")).isEqualTo("again");
    cache.invalidateAll();
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k")).isEqualTo("v:k");
  }

  @Test
  void invalidateAllOfKeysRemovesExactlyThose() {
    cache.put("a", "1");
    cache.put("b", "2");
    cache.put("c", "3");
    cache.invalidateAll(List.of("a", "c"));
    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isEqualTo("2");
    assertThat(cache.getIfPresent("c")).isNull();
    assertThat(cache.analytics().stats().invalidations()).isEqualTo(2);
  }
}
